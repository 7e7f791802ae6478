package io.nfvlab.agent.traffic.ping;

import io.nfvlab.agent.traffic.JobContext;
import io.nfvlab.agent.traffic.KindRunner;
import io.nfvlab.agent.traffic.PingRunner;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJob.JobPair;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;

import java.util.List;

/**
 * The runner of ping, pingpair and pingall. ping sends 10 echoes by default; Mininet's pingpair and pingall send one
 * per pair, always through {@link PingRunner#pingMany} (fping per source when installed).
 */
public final class PingJobs implements KindRunner {
    private final PingRunner ping;

    public PingJobs(PingRunner ping) {
        this.ping = ping;
    }

    @Override
    public TrafficJobResult run(TrafficJob job, JobContext context) {
        List<JobPair> pairs = KindRunner.pairsOf(job);
        KindRunner.requireTools(job);
        boolean mininet = job.getType() != TrafficType.PING;
        TrafficParameters p = job.parametersOrEmpty();
        int count = p.getCount() == null ? (mininet ? 1 : 10) : p.getCount();
        double interval = p.getIntervalSec() == null ? TrafficTestSpec.DEFAULT_INTERVAL_SEC : p.getIntervalSec();
        PingRunner.Echoes echoes = !mininet && pairs.size() == 1
                ? ping.ping(pairs.get(0), count, interval, p.getPacketSize())
                : ping.pingMany(pairs, count, interval, p.getPacketSize());
        return TrafficJobResult.builder().results(echoes.results()).message(echoes.message()).build();
    }
}
