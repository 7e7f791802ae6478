package io.nfvlab.agent.kernel;

/**
 * Where an agent builds topologies: the real Linux kernel and OVS ({@code LinuxKernel.dataplane()}); tests that need
 * an agent but not a kernel pass the in-memory one of the agent's test-jar.
 */
public interface Dataplane {
    /**
     * The dataplane of {@code node}. {@code nodeNetns} null: objects of the node's root namespace go into the real
     * root namespace; otherwise into that (existing) network namespace, which stands in for a second node.
     */
    NodeDataplane open(String node, String nodeNetns);
}
