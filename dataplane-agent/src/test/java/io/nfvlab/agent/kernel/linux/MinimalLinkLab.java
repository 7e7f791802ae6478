package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.NodeDataplane;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.PlannedHost;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.VirtualTopologySpec;

import java.time.Duration;
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

    /**
     * Gives h1 and h2 each other's MAC address as a permanent neighbour entry, so that ARP's frames never cross the
     * shaped link while a test measures it: a lossy link also loses ARP, and a neighbour that fails to resolve in the
     * middle of a measurement turns its pings into "Destination Host Unreachable" for seconds (a correlated-loss test
     * once lost 391 of 400 that way). What is measured is then the link's effect on the echoes alone.
     */
    public void pinNeighbours() {
        PlannedHost h1 = state.getSpec().getHosts().get(0);
        PlannedHost h2 = state.getSpec().getHosts().get(1);
        Interface h1Interface = Interface.of(h1);
        Interface h2Interface = Interface.of(h2);
        pin(h1, h1Interface, h2, h2Interface);
        pin(h2, h2Interface, h1, h1Interface);
    }

    private static void pin(PlannedHost at, Interface via, PlannedHost to, Interface theirs) {
        CommandRunner.Result r = KernelFixture.inNs(at.getNetns(), Duration.ofSeconds(5), "ip", "neigh", "replace",
                to.getInterfaces().get(0).getAddress().split("/")[0], "lladdr", theirs.mac(), "nud", "permanent",
                "dev", via.name());
        if (!r.ok()) {
            throw new IllegalStateException("pinning " + to.getName() + "'s address in " + at.getName() + ": " + r.describe());
        }
    }

    /** A host's one interface besides lo, as the kernel has it (the plan names no MAC unless one is asked for). */
    private record Interface(String name, String mac) {
        static Interface of(PlannedHost host) {
            CommandRunner.Result r = KernelFixture.inNs(host.getNetns(), Duration.ofSeconds(5), "ip", "-br", "link", "show");
            // "h1-eth0@if12  UP  2a:4b:…  <BROADCAST,…>"
            return r.stdout().lines().map(String::trim).map(l -> l.split("\\s+")).filter(f -> !f[0].equals("lo"))
                    .map(f -> new Interface(f[0].replaceFirst("@.*", ""), f[2]))
                    .findFirst().orElseThrow(() -> new IllegalStateException(host.getName() + " has no interface: " + r.describe()));
        }
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
