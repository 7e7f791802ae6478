package io.nfvlab.cli.commands;

import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.cli.CliException;
import io.nfvlab.cli.TopologyView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "iperf", description = "TCP bandwidth between two hosts with iperf3 (Mininet's iperf); default the first and last host.")
public class IperfCommand extends TrafficCommand {
    @Parameters(arity = "0..2", paramLabel = "HOST", description = "Client and server host.")
    List<String> hosts;

    @Option(names = {"-d", "--duration"}, paramLabel = "SECONDS", description = "Seconds of traffic (default 5).")
    Integer duration;

    @Override
    protected TrafficTestSpec.TrafficTestSpecBuilder test(TopologyView view) {
        List<String> names = pair(view, hosts);
        return TrafficTestSpec.builder().type(TrafficType.IPERF).source(names.get(0)).destination(names.get(1))
                .durationSeconds(duration);
    }

    /** Mininet's default pair (first and last host), or the two hosts given. */
    static List<String> pair(TopologyView view, List<String> given) {
        if (given == null || given.isEmpty()) {
            List<String> all = view.hostNames();
            if (all.size() < 2) {
                throw CliException.failure("topology " + view.name() + " has fewer than two hosts");
            }
            return List.of(all.get(0), all.get(all.size() - 1));
        }
        if (given.size() != 2) {
            throw CliException.usage("give two hosts (client and server), or none for the first and last host");
        }
        return List.of(host(view, given.get(0)), host(view, given.get(1)));
    }
}
