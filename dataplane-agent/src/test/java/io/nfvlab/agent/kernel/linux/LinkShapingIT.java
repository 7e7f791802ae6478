package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.NodeDataplane;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.LinkState;
import io.nfvlab.api.topology.VirtualTopologySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
    private static final String NODE = "it-node";
    private NodeDataplane dataplane;
    private NetworkNodeState state;

    @BeforeEach
    void setUp() {
        assumeRoot();
        dataplane = LinuxKernel.dataplane().open(NODE, null);
        state = OneNodePlans.state(unique("shape"), NODE, VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("minimal").build()).build());
    }

    @AfterEach
    void tearDown() {
        if (dataplane != null) {
            dataplane.teardown(state);
            assertThat(leftovers(state.getSpec().getOwner().getToken())).isEmpty();
            dataplane.close();
        }
    }

    private PlannedLink h1Link() {
        return state.getSpec().getLinks().get(0);
    }

    private SyncReport syncWith(LinkParams params) {
        h1Link().setParams(params);
        SyncReport r = dataplane.sync(state);
        assertThat(r.errors()).isEmpty();
        return r;
    }

    private String h1() {
        return state.getSpec().getHosts().get(0).getNetns();
    }

    private String h2Address() {
        return state.getSpec().getHosts().get(1).getInterfaces().get(0).getAddress().split("/")[0];
    }

    @Test
    void delayOfTwentyMillisecondsGivesFortyMillisecondRoundTrips() {
        syncWith(LinkParams.builder().delay("20ms").build());
        // warm up first: ARP's request and reply cross the delayed link too, and the delay line's code gets compiled
        inNs(h1(), Duration.ofSeconds(10), "ping", "-c", "5", "-i", "0.1", h2Address());
        CommandRunner.Result r = inNs(h1(), Duration.ofSeconds(30), "ping", "-c", "20", "-i", "0.1", h2Address());
        assertThat(r.ok()).as(r.describe()).isTrue();
        double avg = rttAvg(r.stdout());
        // the median: on a busy node a few replies wait for a CPU, which says nothing about the link's delay
        double[] rtts = Pattern.compile("time=([\\d.]+) ms").matcher(r.stdout()).results()
                .mapToDouble(m -> Double.parseDouble(m.group(1))).sorted().toArray();
        double median = rtts[rtts.length / 2];
        System.out.printf("delay 20ms: rtt median %.2f ms, avg %.2f ms%n%s%n", median, avg, r.stdout());
        assertThat(median).isBetween(37.0, 43.0);
        // the delay line's queue drops are reported with the link's counters (none at this rate)
        assertThat(dataplane.sync(state).counters()).filteredOn(c -> c.link().equals(h1Link().getId()))
                .singleElement().satisfies(c -> assertThat(c.queueDrops()).isEqualTo(io.nfvlab.agent.kernel.shaping.DelayLineQueue.QueueDrops.NONE));
    }

    @Test
    void lossOfTenPercentLosesAboutOneFifthOfPings() {
        syncWith(LinkParams.builder().lossPercent(10.0).build());
        CommandRunner.Result r = inNs(h1(), Duration.ofSeconds(60), "ping", "-q", "-c", "1000", "-i", "0.005", "-W", "1", h2Address());
        Matcher m = Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(r.stdout());
        assertThat(m.find()).as(r.stdout()).isTrue();
        double loss = 100.0 * (Integer.parseInt(m.group(1)) - Integer.parseInt(m.group(2))) / Integer.parseInt(m.group(1));
        System.out.printf("loss 10%% each way: %.1f %% of 1000 pings lost%n", loss);
        assertThat(loss).isBetween(14.0, 24.0);
    }

    @Test
    void bandwidthOfFiftyMegabitsLimitsTcp() throws Exception {
        syncWith(LinkParams.builder().bandwidthMbps(50.0).build());
        double mbps = LinuxDataplaneIT.iperf(state.getSpec().getHosts().get(1).getNetns(), h1(), h2Address(), 5);
        System.out.printf("bandwidth 50 Mbit/s: iperf3 TCP %.1f Mbit/s%n", mbps);
        assertThat(mbps).isBetween(45.0, 52.0);
    }

    @Test
    void changingOneLinkTouchesOnlyThatLink() {
        PlannedLink other = state.getSpec().getLinks().get(1);
        other.setParams(LinkParams.builder().delay("1ms").build());
        syncWith(LinkParams.builder().bandwidthMbps(100.0).build());

        SyncReport rate = syncWith(LinkParams.builder().bandwidthMbps(80.0).lossPercent(1.0).build());
        assertThat(rate.applied()).isNotEmpty().allMatch(a -> a.item().equals("links/" + h1Link().getId()))
                .noneMatch(a -> a instanceof Action.VethAdd || a instanceof Action.LinkDel);
        assertThat(rate.applied()).filteredOn(a -> a instanceof Action.QdiscSet).hasSize(2);

        other.setParams(LinkParams.builder().delay("2ms").build());
        SyncReport delay = dataplane.sync(state);
        assertThat(delay.errors()).isEmpty();
        assertThat(delay.applied()).isNotEmpty().allMatch(a -> a.item().equals("links/" + other.getId()))
                .noneMatch(a -> a instanceof Action.VethAdd || a instanceof Action.LinkDel)
                .anyMatch(a -> a instanceof Action.RelayStart);

        assertThat(dataplane.sync(state).actions()).isZero();
    }

    @Test
    void stateDownStopsPingAndUpRestoresIt() throws Exception {
        syncWith(new LinkParams());
        assertThat(LinuxDataplaneIT.pingWithRetries(h1(), h2Address())).isTrue();
        syncWith(LinkParams.builder().state(LinkState.DOWN).build());
        assertThat(ping(h1(), h2Address())).isFalse();
        syncWith(LinkParams.builder().state(LinkState.UP).build());
        assertThat(LinuxDataplaneIT.pingWithRetries(h1(), h2Address())).isTrue();
    }

    static double rttAvg(String pingOutput) {
        Matcher m = Pattern.compile("= [\\d.]+/([\\d.]+)/").matcher(pingOutput);
        assertThat(m.find()).as(pingOutput).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
