package io.nfvlab.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code link s1 s2 delay=…} at the prompt of {@code nfvlab run}: the running s1–s2 link takes the new delay (the
 * agent re-shapes it) and ping across it measures it; a bad key is refused with its name and changes nothing.
 */
class LinkChangeIT {
    @BeforeEach
    void needsRoot() {
        assumeTrue(HostInfo.isRoot(), "nfvlab run creates network namespaces and bridges: needs root");
    }

    @Test
    void aDelaySetAtThePromptShowsInTheRoundTripAndABadKeyIsRefused() throws Exception {
        String script = String.join("\n",
                "h1 ping -c 10 -i 0.1 h2",
                "link s1 s2 delay=10ms loss=0",
                "h1 ping -c 10 -i 0.1 h2",
                "link s1 s2 delay=25ms",
                "h1 ping -c 10 -i 0.1 h2",
                "link s1 s2 latency=5ms",
                "link s1 s2 loss=200",
                "h1 ping -c 10 -i 0.1 h2",
                "exit", "");
        CliProcess.Result r = CliProcess.run(List.of("./nfvlab", "run", "--topo", "linear,2", "--keep"),
                script, Duration.ofSeconds(55), CliProcess.BUILT);
        System.out.println(r.all());
        assertThat(r.exitCode()).as(r.all()).isZero();
        String out = r.stdout();
        assertThat(out).contains("*** link s1 <-> s2 delay=10ms loss=0 (applied in", "*** link s1 <-> s2 delay=25ms (applied in");
        double[] rtt = pingMedians(out);
        System.out.printf("rtt median: no delay %.1f ms, delay=10ms %.1f ms, delay=25ms %.1f ms, after refused changes %.1f ms%n",
                rtt[0], rtt[1], rtt[2], rtt[3]);
        assertThat(rtt).hasSize(4);
        // the delay applies to each direction of s1–s2: a round trip pays it twice
        assertThat(rtt[0]).isLessThan(8.0);
        assertThat(rtt[1]).isBetween(19.0, 28.0);
        assertThat(rtt[2]).isBetween(49.0, 58.0);
        assertThat(rtt[3]).isBetween(49.0, 58.0);
        assertThat(r.stderr()).contains("unknown link parameter \"latency\"", "loss=200: must be between 0 and 100")
                .doesNotContain("Exception");
        assertThat(CliProcess.leftovers(CliProcess.token("linear-2"))).isEmpty();
    }

    /** The median round trip of each ping run in the output, in order. */
    private static double[] pingMedians(String out) {
        String[] runs = out.split("--- .* ping statistics ---");
        java.util.List<Double> medians = new java.util.ArrayList<>();
        // every block before a statistics line holds that run's replies
        for (int i = 0; i < runs.length - 1; i++) {
            Matcher m = Pattern.compile("time=([\\d.]+) ms").matcher(runs[i]);
            double[] t = m.results().mapToDouble(x -> Double.parseDouble(x.group(1))).sorted().toArray();
            if (t.length > 0) medians.add(t[t.length / 2]);
        }
        return medians.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
