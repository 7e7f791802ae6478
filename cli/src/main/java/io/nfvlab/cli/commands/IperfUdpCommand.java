package io.nfvlab.cli.commands;

import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.cli.CliException;
import io.nfvlab.cli.TopologyView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Locale;

@Command(name = "iperfudp", description = "UDP bandwidth at a target rate between two hosts (Mininet's iperfudp), e.g. `iperfudp 10M h1 h4`.")
public class IperfUdpCommand extends TrafficCommand {
    @Parameters(index = "0", paramLabel = "BW", description = "Target rate in bit/s with a K, M or G suffix, e.g. 10M.")
    String bandwidth;

    @Parameters(index = "1..2", arity = "0..2", paramLabel = "HOST", description = "Client and server host.")
    List<String> hosts;

    @Option(names = {"-d", "--duration"}, paramLabel = "SECONDS", description = "Seconds of traffic (default 5).")
    Integer duration;

    @Override
    protected TrafficTestSpec.TrafficTestSpecBuilder test(TopologyView view) {
        List<String> names = IperfCommand.pair(view, hosts);
        return TrafficTestSpec.builder().type(TrafficType.IPERFUDP).source(names.get(0)).destination(names.get(1))
                .bandwidthMbps(megabits(bandwidth)).durationSeconds(duration);
    }

    /** "10M" → 10.0, "500K" → 0.5, "1G" → 1000.0, "2000000" → 2.0 (Mbit/s), as iperf reads -b. */
    static double megabits(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw CliException.usage("give the bandwidth, e.g. iperfudp 10M");
        }
        double factor = 1e-6;
        if (t.endsWith("K")) {
            factor = 1e-3;
        } else if (t.endsWith("M")) {
            factor = 1;
        } else if (t.endsWith("G")) {
            factor = 1e3;
        }
        String number = Character.isLetter(t.charAt(t.length() - 1)) ? t.substring(0, t.length() - 1) : t;
        try {
            double value = Double.parseDouble(number) * factor;
            if (value <= 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw CliException.usage("invalid bandwidth " + text + ": give bits per second with a K, M or G suffix, e.g. 10M");
        }
    }
}
