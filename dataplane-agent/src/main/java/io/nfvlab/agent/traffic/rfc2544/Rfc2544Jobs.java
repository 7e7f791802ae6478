package io.nfvlab.agent.traffic.rfc2544;

import io.nfvlab.agent.traffic.Iperf3Server;
import io.nfvlab.agent.traffic.IperfRunner;
import io.nfvlab.agent.traffic.JobContext;
import io.nfvlab.agent.traffic.KindRunner;
import io.nfvlab.agent.traffic.TrafficJobException;
import io.nfvlab.agent.traffic.iperf.IperfJobs;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJob.JobPair;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.traffic.Rfc2544Row;
import io.nfvlab.api.traffic.kinds.Rfc2544Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The runner of rfc2544 jobs: each frame size in turn ({@link FrameSizeRun}) on the job's path, with the job's message
 * saying where the search is while it runs. The kernel path runs iperf3 between the pair's namespaces (its server
 * role is iperf's); the DPDK path's trials come from {@code dpdk}, which attaches to the job's vhost-user ports.
 */
public final class Rfc2544Jobs implements KindRunner {
    private final IperfRunner iperf = new IperfRunner();
    private final BiFunction<TrafficJob, JobContext, DpdkPath> dpdk;

    /** The DPDK path of one job: its trial runner, closed (generator and device under test stopped) when the job ends. */
    public interface DpdkPath extends AutoCloseable {
        TrialRunner trials();

        @Override
        void close();
    }

    /** @param dpdk opens the DPDK path of a job (throws {@link TrafficJobException} when it cannot) */
    public Rfc2544Jobs(BiFunction<TrafficJob, JobContext, DpdkPath> dpdk) {
        this.dpdk = dpdk;
    }

    @Override
    public TrafficJobResult run(TrafficJob job, JobContext context) {
        KindRunner.requireTools(job);
        TrafficParameters p = job.parametersOrEmpty();
        boolean onDpdk = Rfc2544Kind.onDpdk(p.getRfc2544());
        Rfc2544Settings settings;
        try {
            settings = Rfc2544Settings.of(p.getRfc2544(), onDpdk);
        } catch (IllegalArgumentException e) {
            throw new TrafficJobException(e.getMessage());
        }
        if (onDpdk) {
            try (DpdkPath path = dpdk.apply(job, context)) {
                return run(settings, path.trials(), context);
            }
        }
        JobPair pair = KindRunner.pairsOf(job).get(0);
        int port = IperfJobs.portOf(job);
        try (Iperf3Server server = IperfJobs.serverFor(pair, port)) {
            return run(settings, new IperfTrials(iperf, pair, port), context);
        }
    }

    static TrafficJobResult run(Rfc2544Settings settings, TrialRunner trials, JobContext context) {
        List<Rfc2544Row> rows = new ArrayList<>();
        List<String> sizes = settings.frameSizes();
        for (int i = 0; i < sizes.size(); i++) {
            String size = sizes.get(i);
            String where = "frame size " + size + " (" + (i + 1) + "/" + sizes.size() + "): ";
            rows.add(new FrameSizeRun(settings, trials, m -> context.progress(where + m)).run(size));
        }
        return TrafficJobResult.builder().results(List.of()).rfc2544(rows).build();
    }

    @Override
    public TrafficJobResult serve(TrafficJob job, JobContext context) {
        return IperfJobs.serveIperf3(job, context);
    }
}
