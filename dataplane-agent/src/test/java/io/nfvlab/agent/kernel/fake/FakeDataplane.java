package io.nfvlab.agent.kernel.fake;

import io.nfvlab.agent.kernel.Dataplane;
import io.nfvlab.agent.kernel.KernelDataplane;
import io.nfvlab.agent.kernel.NodeDataplane;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory dataplane: the agent's real planner and applier over a {@link FakeKernel} per node. For operator
 * and CLI tests that need agents but no kernel; {@link #kernel(String)} shows what a node's agent built.
 */
public final class FakeDataplane implements Dataplane {
    private final Map<String, FakeKernel> kernels = new ConcurrentHashMap<>();

    @Override
    public NodeDataplane open(String node, String nodeNetns) {
        return new KernelDataplane(node, kernel(node).ops(), true);
    }

    /** The fake kernel of {@code node} (created on first use). */
    public FakeKernel kernel(String node) {
        return kernels.computeIfAbsent(node, n -> new FakeKernel());
    }
}
