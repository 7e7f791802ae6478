package io.nfvlab.agent.kernel;

import java.util.List;

/**
 * Traffic control and offloads. Linux: one {@code tc [-n NS] -force -batch -} per namespace with the lines
 * {@link io.nfvlab.agent.kernel.shaping.LinkShaping} renders for each end ({@code tc qdisc del dev D root;
 * tc qdisc add dev D root handle 1: tbf …; …}), and {@code ethtool -K DEV tx off}.
 */
public interface ShapingOps {
    /** Applies QdiscSet and QdiscClear for devices in {@code netns} (null: node root). */
    BatchResult apply(String netns, List<Action> actions);

    /** Applies OffloadOff actions (any namespaces). */
    BatchResult offload(List<Action> actions);

    /**
     * What this node's kernel offers for shaping (Linux: whether {@code sch_netem} loads, tried once per agent
     * process in a scratch namespace). The default, for doubles: no netem, so the delay line carries impairments.
     */
    default io.nfvlab.agent.kernel.shaping.ShapingMechanisms mechanisms() {
        return io.nfvlab.agent.kernel.shaping.ShapingMechanisms.WITHOUT_NETEM;
    }
}
