package io.nfvlab.operator.traffic;

import io.nfvlab.agent.traffic.TrafficJobs;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.Trial;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory TrafficJobs for operator tests: answers every job at once from a script (pairs that are cut lose
 * everything, iperf reaches a fixed rate) and records which (job, runKey) it ran, so tests can count runs.
 */
final class ScriptedTrafficJobs implements TrafficJobs {
    final Set<String> cut = ConcurrentHashMap.newKeySet();
    volatile double iperfBitsPerSecond = 94.5e6;
    volatile String failWith;
    /** While set, every job stays Running (a long test in flight). */
    volatile boolean hold;
    final List<String> ran = new CopyOnWriteArrayList<>();
    final List<String> forgotten = new CopyOnWriteArrayList<>();

    @Override
    public List<TrafficJobResult> sync(NetworkNodeState state) {
        List<TrafficJobResult> out = new ArrayList<>();
        for (TrafficJob job : state.getSpec().trafficJobsOrEmpty()) {
            String key = job.getId() + "@" + job.getRunKey() + "/" + job.getRole().name().toLowerCase(java.util.Locale.ROOT);
            if (!ran.contains(key)) {
                ran.add(key);
            }
            if (hold) {
                out.add(TrafficJobResult.builder().id(job.getId()).runKey(job.getRunKey()).phase(TrafficJobResult.JobPhase.RUNNING).build());
                continue;
            }
            if (failWith != null) {
                out.add(TrafficJobResult.builder().id(job.getId()).runKey(job.getRunKey()).phase(TrafficJobResult.JobPhase.FAILED).message(failWith).build());
                continue;
            }
            List<PairResult> results = new ArrayList<>();
            for (TrafficJob.JobPair p : job.expandedPairs()) {
                boolean lost = cut.contains(p.getSource() + ">" + p.getDestination());
                PairResult.PairResultBuilder r = PairResult.builder().source(p.getSource()).destination(p.getDestination());
                TrafficType type = job.getType();
                switch (type) {
                    case IPERF -> r.bitsPerSecond(iperfBitsPerSecond).retransmits(0L);
                    case IPERFUDP -> r.bitsPerSecond(iperfBitsPerSecond).lossPercent(0.0).jitterMs(0.01);
                    default -> {
                        long count = job.parametersOrEmpty().getCount() == null ? 1 : job.parametersOrEmpty().getCount();
                        r.sent(count).received(lost ? 0 : count).lossPercent(lost ? 100.0 : 0.0).rttAvgMs(lost ? null : 0.05);
                    }
                }
                results.add(r.build());
            }
            TrafficJobResult.TrafficJobResultBuilder result = TrafficJobResult.builder().id(job.getId()).runKey(job.getRunKey())
                    .phase(TrafficJobResult.JobPhase.SUCCEEDED).results(results);
            if (job.getType() == TrafficType.THROUGHPUT_SEARCH) {
                result.trials(List.of(Trial.builder().rate(1000.0).passed(false).build(), Trial.builder().rate(500.0).passed(true).build()))
                        .foundRate(500.0);
            }
            out.add(result.build());
        }
        return out;
    }

    @Override
    public void forget(NetworkNodeState state) {
        forgotten.add(state.getMetadata().getName());
    }

    long runsOf(String jobId) {
        return ran.stream().filter(k -> k.startsWith(jobId + "@") && k.endsWith("/client")).count();
    }
}
