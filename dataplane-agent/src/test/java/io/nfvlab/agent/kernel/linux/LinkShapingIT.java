package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.LinkState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.nfvlab.agent.kernel.linux.KernelFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TCLink parameters on the h1–s1 link of Mininet's minimal topology (h1, h2 on s1), measured with ping and iperf3.
 * Like Mininet, parameters apply to both ends, so a delay is paid twice per round trip and loss applies each way.
 */
class LinkShapingIT {
    private MinimalLinkLab lab;

    @BeforeEach
    void setUp() {
        assumeRoot();
        lab = MinimalLinkLab.open("it-node", "shape");
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void delayOfTwentyMillisecondsGivesFortyMillisecondRoundTrips() {
        lab.shape(LinkParams.builder().delay("20ms").build());
        // warm up first: ARP's request and reply cross the delayed link too, and the delay line's code gets compiled
        inNs(lab.h1(), Duration.ofSeconds(10), "ping", "-c", "5", "-i", "0.1", lab.h2Address());
        CommandRunner.Result r = inNs(lab.h1(), Duration.ofSeconds(30), "ping", "-c", "20", "-i", "0.1", lab.h2Address());
        assertThat(r.ok()).as(r.describe()).isTrue();
        double avg = rttAvg(r.stdout());
        // the median: on a busy node a few replies wait for a CPU, which says nothing about the link's delay
        double[] rtts = Pattern.compile("time=([\\d.]+) ms").matcher(r.stdout()).results()
                .mapToDouble(m -> Double.parseDouble(m.group(1))).sorted().toArray();
        double median = rtts[rtts.length / 2];
        System.out.printf("delay 20ms: rtt median %.2f ms, avg %.2f ms%n%s%n", median, avg, r.stdout());
        assertThat(median).isBetween(37.0, 43.0);
        // the delay line's queue drops are reported with the link's counters (none at this rate)
        assertThat(lab.sync().counters()).filteredOn(c -> c.link().equals(lab.h1Link().getId()))
                .singleElement().satisfies(c -> assertThat(c.queueDrops()).isEqualTo(io.nfvlab.agent.kernel.shaping.DelayLineQueue.QueueDrops.NONE));
    }

    @Test
    void lossOfTenPercentLosesAboutOneFifthOfPings() {
        lab.shape(LinkParams.builder().lossPercent(10.0).build());
        lab.pinNeighbours();
        long backlogDropsBefore = backlogDrops();
        CommandRunner.Result r = inNs(lab.h1(), Duration.ofSeconds(60), "ping", "-q", "-c", "1000", "-i", "0.005", "-W", "1", lab.h2Address());
        Matcher m = Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(r.stdout());
        assertThat(m.find()).as(r.stdout()).isTrue();
        double loss = 100.0 * (Integer.parseInt(m.group(1)) - Integer.parseInt(m.group(2))) / Integer.parseInt(m.group(1));
        System.out.printf("loss 10%% each way: %.1f %% of 1000 pings lost%n", loss);
        // 19 % expected (1 - 0.9²), σ 1.2 %: a figure outside says where else frames went, so that a failure explains itself
        assertThat(loss).as("%s%nframes this node's receive backlogs dropped meanwhile: %d%nh1's counters:%n%s"
                        + "load: %s", r.stdout(), backlogDrops() - backlogDropsBefore,
                inNs(lab.h1(), Duration.ofSeconds(5), "ip", "-s", "link", "show").stdout(), loadAverage())
                .isBetween(14.0, 24.0);
    }

    @Test
    void bandwidthOfFiftyMegabitsLimitsTcp() throws Exception {
        lab.shape(LinkParams.builder().bandwidthMbps(50.0).build());
        double mbps = LinuxDataplaneIT.iperf(lab.h2(), lab.h1(), lab.h2Address(), 5);
        System.out.printf("bandwidth 50 Mbit/s: iperf3 TCP %.1f Mbit/s%n", mbps);
        assertThat(mbps).isBetween(45.0, 52.0);
    }

    @Test
    void changingOneLinkTouchesOnlyThatLink() {
        PlannedLink other = lab.state().getSpec().getLinks().get(1);
        other.setParams(LinkParams.builder().delay("1ms").build());
        lab.shape(LinkParams.builder().bandwidthMbps(100.0).build());

        SyncReport rate = lab.shape(LinkParams.builder().bandwidthMbps(80.0).lossPercent(1.0).build());
        assertThat(rate.applied()).isNotEmpty().allMatch(a -> a.item().equals("links/" + lab.h1Link().getId()))
                .noneMatch(a -> a instanceof Action.VethAdd || a instanceof Action.LinkDel);
        assertThat(rate.applied()).filteredOn(a -> a instanceof Action.QdiscSet).hasSize(2);

        other.setParams(LinkParams.builder().delay("2ms").build());
        SyncReport delay = lab.sync();
        assertThat(delay.errors()).isEmpty();
        assertThat(delay.applied()).isNotEmpty().allMatch(a -> a.item().equals("links/" + other.getId()))
                .noneMatch(a -> a instanceof Action.VethAdd || a instanceof Action.LinkDel)
                .anyMatch(a -> a instanceof Action.RelayStart);

        assertThat(lab.sync().actions()).isZero();
    }

    @Test
    void stateDownStopsPingAndUpRestoresIt() throws Exception {
        lab.shape(new LinkParams());
        assertThat(LinuxDataplaneIT.pingWithRetries(lab.h1(), lab.h2Address())).isTrue();
        lab.shape(LinkParams.builder().state(LinkState.DOWN).build());
        assertThat(ping(lab.h1(), lab.h2Address())).isFalse();
        lab.shape(LinkParams.builder().state(LinkState.UP).build());
        assertThat(LinuxDataplaneIT.pingWithRetries(lab.h1(), lab.h2Address())).isTrue();
    }

    static double rttAvg(String pingOutput) {
        Matcher m = Pattern.compile("= [\\d.]+/([\\d.]+)/").matcher(pingOutput);
        assertThat(m.find()).as(pingOutput).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** Frames dropped from every CPU's receive backlog since boot (/proc/net/softnet_stat, second column, hex). */
    private static long backlogDrops() {
        try {
            return Files.readAllLines(Path.of("/proc/net/softnet_stat")).stream()
                    .mapToLong(line -> Long.parseLong(line.trim().split("\\s+")[1], 16)).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
