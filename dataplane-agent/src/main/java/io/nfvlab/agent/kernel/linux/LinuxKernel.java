package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Dataplane;
import io.nfvlab.agent.kernel.KernelDataplane;
import io.nfvlab.agent.kernel.KernelOps;

/** The Linux implementations of the kernel seams. */
public final class LinuxKernel {
    private LinuxKernel() {
    }

    /** The dataplane that builds in the real Linux kernel and OVS. */
    public static Dataplane dataplane() {
        return (node, nodeNetns) -> new KernelDataplane(node, ops(nodeNetns), nodeNetns == null,
                io.nfvlab.agent.container.PodmanRuntime.system());
    }

    /** The dataplane that builds in the real Linux kernel and OVS, with container hosts run by {@code runtime}. */
    public static Dataplane dataplane(io.nfvlab.agent.container.ContainerRuntime runtime) {
        return (node, nodeNetns) -> new KernelDataplane(node, ops(nodeNetns), nodeNetns == null, runtime);
    }

    /** {@code nodeNetns} null: the real root namespace stands for the node; otherwise that namespace does. */
    public static KernelOps ops(String nodeNetns) {
        return new KernelOps(new LinuxNetnsOps(), new LinuxLinkOps(nodeNetns), new LinuxBridgeOps(nodeNetns),
                new LinuxShapingOps(nodeNetns), new LinuxOvsOps(), new LinuxRelays(nodeNetns));
    }

    /** The network namespaces nfvlab has named on this machine (its entries of /run/netns). */
    public static java.util.Set<String> namedNamespaces() {
        return new LinuxNetnsOps().list();
    }

    /** {@code tc [-n NS] …} for a namespace (null: none). */
    static java.util.List<String> tc(String netns, String... rest) {
        java.util.List<String> argv = new java.util.ArrayList<>(ip(netns, rest));
        argv.set(0, "tc");
        return argv;
    }

    /** {@code ip [-n NS]} prefix for a namespace (null: none). */
    static java.util.List<String> ip(String netns, String... rest) {
        java.util.List<String> argv = new java.util.ArrayList<>();
        argv.add("ip");
        if (netns != null) {
            argv.add("-n");
            argv.add(netns);
        }
        argv.addAll(java.util.List.of(rest));
        return argv;
    }
}
