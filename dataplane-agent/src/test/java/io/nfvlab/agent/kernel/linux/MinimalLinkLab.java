package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.NodeDataplane;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.VirtualTopologySpec;

import java.util.List;

/**
 * Mininet's minimal topology (h1, h2 on s1) planned for one node and built by the real Linux dataplane, for the tests
 * and benchmarks that shape or impair its h1–s1 link and measure what crosses it. Closing it tears the topology down
 * and fails if anything of it is left in the kernel.
 */
public final class MinimalLinkLab implements AutoCloseable {
    private final NodeDataplane dataplane;
    private final NetworkNodeState state;

    private MinimalLinkLab(String node, String prefix) {
        this.dataplane = LinuxKernel.dataplane().open(node, null);
        this.state = OneNodePlans.state(KernelFixture.unique(prefix), node, VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("minimal").build()).build());
    }

    /** Plans the topology under a fresh owner named after {@code prefix}; {@link #sync()} builds it. */
    public static MinimalLinkLab open(String node, String prefix) {
        return new MinimalLinkLab(node, prefix);
    }

    public NetworkNodeState state() {
        return state;
    }

    public PlannedLink h1Link() {
        return state.getSpec().getLinks().get(0);
    }

    public SyncReport sync() {
        return dataplane.sync(state);
    }

    /** Sets the h1–s1 link's parameters and syncs; a sync with errors throws. */
    public SyncReport shape(LinkParams params) {
        h1Link().setParams(params);
        SyncReport r = sync();
        if (!r.errors().isEmpty()) {
            throw new IllegalStateException("shaping " + params + ": " + r.errors());
        }
        return r;
    }

    public String h1() {
        return state.getSpec().getHosts().get(0).getNetns();
    }

    public String h2() {
        return state.getSpec().getHosts().get(1).getNetns();
    }

    public String h2Address() {
        return state.getSpec().getHosts().get(1).getInterfaces().get(0).getAddress().split("/")[0];
    }

    /** Tears down and says what of this topology the kernel still holds (nothing, when all went well). */
    public List<String> teardown() {
        try {
            dataplane.teardown(state);
            return KernelFixture.leftovers(state.getSpec().getOwner().getToken());
        } finally {
            dataplane.close();
        }
    }

    @Override
    public void close() {
        List<String> left = teardown();
        if (!left.isEmpty()) {
            throw new AssertionError("left behind: " + left);
        }
    }
}
