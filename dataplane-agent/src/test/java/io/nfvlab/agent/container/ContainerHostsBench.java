package io.nfvlab.agent.container;

import io.nfvlab.agent.kernel.KernelDataplane;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.kernel.linux.LinuxKernel;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.PodHostSpec;
import io.nfvlab.api.topology.PodTemplate;
import io.nfvlab.api.topology.VirtualTopologySpec;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Benchmark: time for the agent to bring up and tear down a tree of N container hosts (busybox, podman) next to the
 * same tree with namespace hosts. Prints a table; asserts nothing. Usage: {@code ContainerHostsBench [N…]} (default
 * 20 50); each tree is tree,depth=1,fanout=N (one switch, N hosts), built once untimed with 4 hosts first as a warm-up.
 */
public final class ContainerHostsBench {
    private ContainerHostsBench() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = args.length == 0 ? List.of(20, 50) : List.of(args).stream().map(Integer::parseInt).toList();
        try (PodmanLab podman = PodmanLab.open()) {
            measure(podman, 4, true);
            measure(podman, 4, false);
            System.out.printf(Locale.ROOT, "%-22s %-10s %10s %10s %8s%n", "topology", "hosts", "up (s)", "down (s)", "errors");
            for (int n : sizes) {
                for (boolean containers : List.of(false, true)) {
                    double[] t = measure(podman, n, containers);
                    System.out.printf(Locale.ROOT, "%-22s %-10s %10.2f %10.2f %8d%n", "tree,depth=1,fanout=" + n,
                            containers ? "container" : "namespace", t[0], t[1], (int) t[2]);
                }
            }
        }
    }

    /** Seconds to build, seconds to tear down, and the number of item errors of the build. */
    private static double[] measure(PodmanLab podman, int n, boolean containers) {
        BuiltinTopology.BuiltinTopologyBuilder topo = BuiltinTopology.builder().type("tree,depth=1,fanout=" + n);
        if (containers) {
            topo.hostPod(PodHostSpec.builder().template(PodTemplate.builder().image(PodmanLab.IMAGE).build()).build());
        }
        NetworkNodeState state = OneNodePlans.state("podbench-" + UUID.randomUUID().toString().substring(0, 6), "bench-node",
                VirtualTopologySpec.builder().topology(topo.build()).build());
        try (KernelDataplane dp = new KernelDataplane("bench-node", LinuxKernel.ops(null), true, podman.runtime)) {
            long t0 = System.nanoTime();
            SyncReport up = dp.sync(state);
            long t1 = System.nanoTime();
            dp.teardown(state);
            long t2 = System.nanoTime();
            return new double[]{(t1 - t0) / 1e9, (t2 - t1) / 1e9, up.errors().size()};
        }
    }
}
