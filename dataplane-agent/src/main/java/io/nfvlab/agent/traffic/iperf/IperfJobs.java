package io.nfvlab.agent.traffic.iperf;

import io.nfvlab.agent.traffic.Iperf3Server;
import io.nfvlab.agent.traffic.IperfRunner;
import io.nfvlab.agent.traffic.JobContext;
import io.nfvlab.agent.traffic.KindRunner;
import io.nfvlab.agent.traffic.TrafficJobException;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJob.JobPair;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficType;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The runner of iperf (TCP) and iperfudp, and the iperf3 servers that every iperf3-based kind's server role keeps up. */
public final class IperfJobs implements KindRunner {
    private final IperfRunner iperf = new IperfRunner();

    @Override
    public TrafficJobResult run(TrafficJob job, JobContext context) {
        List<JobPair> pairs = KindRunner.pairsOf(job);
        KindRunner.requireTools(job);
        boolean udp = job.getType() == TrafficType.IPERFUDP;
        TrafficParameters p = job.parametersOrEmpty();
        int port = portOf(job);
        double seconds = p.getDurationSeconds() == null ? 5 : p.getDurationSeconds();
        Double rate = udp ? (p.getBandwidthMbps() == null ? 10.0 : p.getBandwidthMbps()) * 1e6 : null;
        List<PairResult> results = new ArrayList<>();
        // one pair at a time: parallel iperfs would share the links and measure each other
        for (JobPair pair : pairs) {
            try (Iperf3Server server = serverFor(pair, port)) {
                results.add(iperf.run(pair, port, new IperfRunner.Load(udp, rate, seconds, p.getPacketSize(), p.getParallel())).result());
            } catch (TrafficJobException e) {
                results.add(PairResult.builder().source(pair.getSource()).destination(pair.getDestination()).error(e.getMessage()).build());
            }
        }
        return TrafficJobResult.builder().results(results).build();
    }

    @Override
    public TrafficJobResult serve(TrafficJob job, JobContext context) {
        return serveIperf3(job, context);
    }

    /** Server role: iperf3 servers in this node's destination hosts for clients on other nodes, until the job goes. */
    public static TrafficJobResult serveIperf3(TrafficJob job, JobContext context) {
        KindRunner.requireTools(job);
        int port = portOf(job);
        List<String> namespaces = job.pairsOrEmpty().stream().map(JobPair::getDestinationNetns).filter(Objects::nonNull).distinct().toList();
        if (namespaces.isEmpty()) {
            throw new TrafficJobException("server job " + job.getId() + " names no destination namespace");
        }
        List<Iperf3Server> servers = new ArrayList<>();
        for (String netns : namespaces) {
            Iperf3Server server = Iperf3Server.start(netns, port);
            context.own(server);
            servers.add(server);
        }
        context.progress("iperf3 listening on port " + port + " in " + String.join(", ", namespaces));
        try {
            while (servers.stream().allMatch(Iperf3Server::alive)) {
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TrafficJobResult.builder().phase(TrafficJobResult.JobPhase.SUCCEEDED).message("stopped").build();
        }
        throw new TrafficJobException("an iperf3 server of job " + job.getId() + " exited");
    }

    /** The port the operator chose for the test (the same on the server role's node). */
    public static int portOf(TrafficJob job) {
        return job.getPort() != null ? job.getPort() : IperfRunner.portFor(job.getId());
    }

    /** A server in the destination's namespace when it is on this node; otherwise the peer node's server role has one. */
    public static Iperf3Server serverFor(JobPair pair, int port) {
        return pair.getDestinationNetns() == null ? null : Iperf3Server.start(pair.getDestinationNetns(), port);
    }
}
