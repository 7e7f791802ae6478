package io.nfvlab.cli.commands;

import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.cli.TopologyView;
import picocli.CommandLine.Command;

@Command(name = "pingpair", description = "Ping between the first two hosts, both ways (Mininet's pingpair).")
public class PingPairCommand extends TrafficCommand {
    @Override
    protected TrafficTestSpec.TrafficTestSpecBuilder test(TopologyView view) {
        return TrafficTestSpec.builder().type(TrafficType.PINGPAIR);
    }
}
