package io.nfvlab.agent.dataplane;

import io.nfvlab.agent.dataplane.fake.FakeDataplane;
import io.nfvlab.agent.dataplane.linux.LinuxKernel;

/**
 * Where an agent builds topologies: the real Linux kernel and OVS ({@link #linux()}), or an in-memory kernel for
 * tests that need an agent but not a dataplane ({@link #fake()}).
 */
public interface Dataplane {
    /**
     * The dataplane of {@code node}. {@code nodeNetns} null: objects of the node's root namespace go into the real
     * root namespace; otherwise into that (existing) network namespace, which stands in for a second node.
     */
    NodeDataplane open(String node, String nodeNetns);

    static Dataplane linux() {
        return (node, nodeNetns) -> new KernelDataplane(node, LinuxKernel.ops(nodeNetns), nodeNetns == null);
    }

    static FakeDataplane fake() {
        return new FakeDataplane();
    }
}
