package io.nfvlab.cli.commands;

import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.cli.TopologyView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "pingall", description = "Ping between every pair of hosts (Mininet's pingall); creates a TrafficTest and waits for it.")
public class PingAllCommand extends TrafficCommand {
    @Option(names = {"-c", "--count"}, paramLabel = "N", description = "Echo requests per pair (default 1, as Mininet).")
    Integer count;

    @Override
    protected TrafficTestSpec.TrafficTestSpecBuilder test(TopologyView view) {
        return TrafficTestSpec.builder().type(TrafficType.PINGALL).count(count);
    }
}
