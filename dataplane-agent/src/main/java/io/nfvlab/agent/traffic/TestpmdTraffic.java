package io.nfvlab.agent.traffic;

import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJobResult;

/**
 * Runs testpmd traffic (type testpmd, and throughput-search with generator testpmd) for the dispatcher; implemented
 * with the DPDK runner in {@code io.nfvlab.agent.traffic.testpmd}. Blocking; the dispatcher calls it on its own job thread and
 * fills in id, runKey, phase and times.
 */
@FunctionalInterface
public interface TestpmdTraffic {
    TrafficJobResult run(NetworkNodeState state, TrafficJob job);
}
