package io.nfvlab.agent.dataplane;

/** The five seams through which the agent reads and changes a node. */
public record KernelOps(NetnsOps netns, LinkOps links, BridgeOps bridges, ShapingOps shaping, OvsOps ovs) {
}
