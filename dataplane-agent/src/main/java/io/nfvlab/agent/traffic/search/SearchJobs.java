package io.nfvlab.agent.traffic.search;

import io.nfvlab.agent.traffic.Iperf3Server;
import io.nfvlab.agent.traffic.IperfRunner;
import io.nfvlab.agent.traffic.JobContext;
import io.nfvlab.agent.traffic.KindRunner;
import io.nfvlab.agent.traffic.ThroughputSearch;
import io.nfvlab.agent.traffic.iperf.IperfJobs;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJob.JobPair;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.Trial;

import java.util.ArrayList;
import java.util.List;

/** The runner of throughput-search (rfc2544) with iperf3 UDP trials; its server role is iperf's. */
public final class SearchJobs implements KindRunner {
    private final IperfRunner iperf = new IperfRunner();

    @Override
    public TrafficJobResult run(TrafficJob job, JobContext context) {
        JobPair pair = KindRunner.pairsOf(job).get(0);
        KindRunner.requireTools(job);
        TrafficParameters p = job.parametersOrEmpty();
        int port = IperfJobs.portOf(job);
        ThroughputSearch.Settings settings = ThroughputSearch.Settings.of(p.getSearch());
        double seconds = p.getSearch() == null || p.getSearch().getTrialSeconds() == null
                ? ThroughputSearch.DEFAULT_TRIAL_SECONDS : p.getSearch().getTrialSeconds();
        List<PairResult> last = new ArrayList<>();
        ThroughputSearch.Outcome outcome;
        try (Iperf3Server server = IperfJobs.serverFor(pair, port)) {
            outcome = ThroughputSearch.run(settings, mbps -> {
                IperfRunner.Measurement m = iperf.run(pair, port, new IperfRunner.Load(true, mbps * 1e6, seconds, p.getPacketSize(), null));
                Trial t = ThroughputSearch.judge(mbps, m.sentBitsPerSecond() / 1e6, m.result().getBitsPerSecond() / 1e6,
                        m.result().getLossPercent(), settings.lossThresholdPercent());
                if (Boolean.TRUE.equals(t.getPassed())) {
                    last.clear();
                    last.add(m.result());
                }
                return t;
            });
        }
        PairResult best = last.isEmpty()
                ? PairResult.builder().source(pair.getSource()).destination(pair.getDestination())
                .error("no rate from " + settings.minRate() + " Mbit/s up met the loss threshold").build()
                : last.get(0);
        return TrafficJobResult.builder().results(List.of(best)).trials(outcome.trials()).foundRate(outcome.foundRate()).build();
    }

    @Override
    public TrafficJobResult serve(TrafficJob job, JobContext context) {
        return IperfJobs.serveIperf3(job, context);
    }
}
