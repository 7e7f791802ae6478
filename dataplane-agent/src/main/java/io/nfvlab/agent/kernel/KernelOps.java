package io.nfvlab.agent.kernel;

/** The six seams through which the agent reads and changes a node. */
public record KernelOps(NetnsOps netns, LinkOps links, BridgeOps bridges, ShapingOps shaping, OvsOps ovs, RelayOps relays) {
}
