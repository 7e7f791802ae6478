package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.kernel.shaping.ShapingMechanisms;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.topology.LinkParams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import static io.nfvlab.agent.kernel.linux.KernelFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Duplication, reordering, corruption and correlated loss on the h1–s1 link of Mininet's minimal topology, seen the
 * way a user sees them: DUP! replies and reply order in ping, checksum errors and lost datagrams at an iperf3 UDP
 * receiver. The parameters apply to both directions of the link. On this kernel (no sch_netem) the agent's delay
 * line carries them; where netem is present the same tests exercise netem.
 */
class LinkImpairmentsIT {
    private static final Pattern SEQ = Pattern.compile("icmp_seq=(\\d+)");
    private MinimalLinkLab lab;

    @BeforeEach
    void setUp() {
        assumeRoot();
        lab = MinimalLinkLab.open("it-node", "impair");
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    private CommandRunner.Result ping(int count, String interval) {
        // no ARP across the impaired link, whose loss would otherwise also hit the neighbour's resolution
        lab.pinNeighbours();
        return inNs(lab.h1(), Duration.ofSeconds(50), "ping", "-c", String.valueOf(count), "-i", interval, "-W", "1", lab.h2Address());
    }

    @Test
    void duplicationShowsAsDupRepliesInPing() {
        lab.shape(LinkParams.builder().duplicatePercent(25.0).build());
        String out = ping(100, "0.01").stdout();
        long dups = out.lines().filter(l -> l.contains("DUP!")).count();
        // each way 25 %: a request doubled is answered twice, each answer may be doubled: 1.25² - 1 ≈ 0.56 per ping
        System.out.printf("duplicate 25%% each way: %d DUP! replies to 100 pings (expected ≈ 56)%n", dups);
        assertThat(dups).as(out).isBetween(25L, 95L);
        assertThat(out).contains("duplicates");
    }

    @Test
    void reorderingShowsAsRepliesOutOfSequenceAndPlainDelayKeepsOrder() {
        lab.shape(LinkParams.builder().delay("20ms").build());
        int inOrder = inversions(ping(100, "0.005").stdout());
        assertThat(inOrder).as("a delay without reordering keeps order").isZero();

        SyncReport r = lab.shape(LinkParams.builder().delay("20ms").reorderPercent(25.0).reorderGap(2).build());
        assertThat(r.applied()).noneMatch(a -> a instanceof Action.VethAdd || a instanceof Action.LinkDel);
        String out = ping(200, "0.005").stdout();
        int reordered = inversions(out);
        System.out.printf("reorder 25%% gap 2, delay 20ms: %d of 200 replies arrived after a later one%n", reordered);
        assertThat(reordered).as(out).isGreaterThanOrEqualTo(10);
        // a reordered frame skips the delay: some round trips are far shorter than 40 ms
        double[] rtts = Pattern.compile("time=([\\d.]+) ms").matcher(out).results()
                .mapToDouble(m -> Double.parseDouble(m.group(1))).sorted().toArray();
        assertThat(rtts[0]).isLessThan(30.0);
    }

    /** Replies printed after a reply with a higher sequence number. */
    private static int inversions(String pingOutput) {
        int[] seqs = SEQ.matcher(pingOutput).results().mapToInt(m -> Integer.parseInt(m.group(1))).toArray();
        int out = 0;
        int max = -1;
        for (int s : seqs) {
            if (s < max) out++;
            max = Math.max(max, s);
        }
        return out;
    }

    @Test
    void corruptionShowsAsChecksumErrorsAndLostDatagramsAtTheReceiver() throws Exception {
        lab.shape(LinkParams.builder().corruptPercent(10.0).build());
        ping(3, "0.2");
        long csumBefore = udpInCsumErrors(lab.h2());
        // plain UDP sockets, no control connection: iperf3's TCP control channel stalls on a link that corrupts it
        int[] got = udpDatagrams(lab.h1(), lab.h2(), lab.h2Address(), 2000);
        long csumErrors = udpInCsumErrors(lab.h2()) - csumBefore;
        double lost = 100.0 * (2000 - got[0]) / 2000;
        System.out.printf("corrupt 10%%: %.1f %% of 2000 UDP datagrams lost; receiver counted %d UDP checksum errors, "
                + "%d datagrams arrived with a changed payload%n", lost, csumErrors, got[1]);
        // a flipped bit in the IP header drops the datagram there, anywhere else in it the UDP checksum does
        assertThat(lost).isBetween(5.0, 16.0);
        assertThat(csumErrors).isPositive();
        assertThat(got[1]).as("a corrupted datagram must never be delivered").isZero();
    }

    /**
     * Sends {@code count} datagrams of 1000 bytes from a socket in {@code fromNs} to one in {@code toNs}, about two per
     * millisecond; returns {datagrams received, of those with a payload other than sent}.
     */
    private static int[] udpDatagrams(String fromNs, String toNs, String toAddr, int count) throws Exception {
        java.net.DatagramSocket rx;
        java.net.DatagramSocket tx;
        try (ThreadNetns in = ThreadNetns.enter(toNs)) {
            rx = new java.net.DatagramSocket(new java.net.InetSocketAddress(toAddr, 0));
        }
        try (ThreadNetns in = ThreadNetns.enter(fromNs)) {
            tx = new java.net.DatagramSocket();
        }
        try (rx; tx) {
            rx.setReceiveBufferSize(8 << 20);
            rx.setSoTimeout(1500);
            int[] counts = new int[2];
            Thread receiver = new Thread(() -> {
                byte[] buf = new byte[2000];
                java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
                try {
                    while (true) {
                        rx.receive(p);
                        counts[0]++;
                        if (p.getLength() != 1000 || !intact(buf)) counts[1]++;
                    }
                } catch (java.io.IOException timeoutOrClosed) {
                    // the sender is done
                }
            });
            receiver.start();
            byte[] payload = new byte[1000];
            for (int i = 0; i < payload.length; i++) payload[i] = (byte) i;
            java.net.InetSocketAddress to = new java.net.InetSocketAddress(toAddr, rx.getLocalPort());
            for (int k = 0; k < count; k++) {
                tx.send(new java.net.DatagramPacket(payload, payload.length, to));
                if (k % 2 == 1) Thread.sleep(1);
            }
            receiver.join(10_000);
            return counts;
        }
    }

    private static boolean intact(byte[] buf) {
        for (int i = 0; i < 1000; i++) {
            if (buf[i] != (byte) i) return false;
        }
        return true;
    }

    @Test
    void correlatedLossKeepsTheLossRateAndLosesInBursts() {
        lab.shape(LinkParams.builder().lossPercent(20.0).lossCorrelationPercent(75.0).build());
        String out = ping(400, "0.005").stdout();
        int[] seqs = SEQ.matcher(out).results().mapToInt(m -> Integer.parseInt(m.group(1))).distinct().sorted().toArray();
        boolean[] got = new boolean[401];
        for (int s : seqs) {
            if (s >= 1 && s <= 400) got[s] = true;
        }
        int lost = 0, runs = 0;
        for (int s = 1; s <= 400; s++) {
            if (!got[s]) {
                lost++;
                if (s == 1 || got[s - 1]) runs++;
            }
        }
        double burst = runs == 0 ? 0 : lost / (double) runs;
        // each way 20 %: a round trip is lost with 1 - 0.8² = 36 %; independent losses would come in runs of ≈ 1.6
        System.out.printf("loss 20%% correlation 75%% each way: %d of 400 round trips lost in %d runs (mean run %.1f)%n", lost, runs, burst);
        assertThat(lost).as(out).isBetween(60, 220);
        assertThat(burst).isGreaterThan(2.2);
    }

    @Test
    void changingARunningLinksDelayReshapesItWithoutRebuildingAndTheRoundTripFollows() {
        lab.shape(LinkParams.builder().delay("5ms").build());
        double before = medianRtt(ping(20, "0.05").stdout());
        SyncReport change = lab.shape(LinkParams.builder().delay("25ms").build());
        assertThat(change.applied()).isNotEmpty().noneMatch(a -> a instanceof Action.VethAdd || a instanceof Action.LinkDel);
        double after = medianRtt(ping(20, "0.05").stdout());
        System.out.printf("delay 5ms → 25ms on a running link: rtt median %.1f → %.1f ms%n", before, after);
        assertThat(before).isBetween(8.0, 16.0);
        assertThat(after).isBetween(47.0, 56.0);
    }

    @Test
    void aLinkMovedOntoADelayLineAndBackKeepsCarryingTraffic() {
        lab.shape(new LinkParams());
        CommandRunner.Result direct = ping(5, "0.1");
        assertThat(direct.ok()).as(direct.describe()).isTrue();
        SyncReport toLine = lab.shape(LinkParams.builder().delay("2ms").build());
        System.out.println("onto a delay line: " + toLine.applied());
        CommandRunner.Result relayed = ping(5, "0.1");
        assertThat(relayed.ok()).as(relayed.describe()).isTrue();
        assertThat(medianRtt(relayed.stdout())).isGreaterThan(3.5);
        lab.shape(LinkParams.builder().lossPercent(1.0).build());
        CommandRunner.Result back = ping(5, "0.1");
        assertThat(back.ok()).as(back.describe()).isTrue();
    }

    @Test
    void theProbeLeavesNothingAndTheStatusNamesTheMechanism() {
        ShapingMechanisms m = NetemProbe.probe();
        assertThat(CommandRunner.run(List.of("ip", "netns", "list"), Duration.ofSeconds(5)).stdout())
                .doesNotContain(NetemProbe.scratchNetns());
        boolean netemHere = CommandRunner.run(List.of("sh", "-c", "grep -qw sch_netem /proc/modules 2>/dev/null || "
                + "grep -q 'kernel/net/sched/sch_netem' /lib/modules/$(uname -r)/modules.builtin 2>/dev/null || "
                + "test -n \"$(find /lib/modules/$(uname -r) -name 'sch_netem.ko*' 2>/dev/null | head -1)\""), Duration.ofSeconds(10)).ok();
        System.out.println(m.describe() + " (module files " + (netemHere ? "present" : "absent") + ")");
        assertThat(m.netem()).isEqualTo(netemHere);
    }

    @Test
    void aProbeWithoutARecordProbesAndKeepsItsAnswerForThisBoot(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        NetemProbeRecord record = new NetemProbeRecord(dir.resolve("netem-probe"), dir.resolve("no-such-module"));
        String boot = NetemProbeRecord.bootId();
        assertThat(boot).isNotBlank();
        ShapingMechanisms probed = NetemProbe.probedOnceThisBoot(record, boot);
        assertThat(probed).isEqualTo(NetemProbe.probe());
        assertThat(record.read(boot)).contains(probed);
    }

    static double medianRtt(String pingOutput) {
        double[] rtts = Pattern.compile("time=([\\d.]+) ms").matcher(pingOutput).results()
                .mapToDouble(m -> Double.parseDouble(m.group(1))).sorted().toArray();
        assertThat(rtts).as(pingOutput).isNotEmpty();
        return rtts[rtts.length / 2];
    }

    private static long udpInCsumErrors(String netns) {
        String snmp = inNs(netns, Duration.ofSeconds(5), "cat", "/proc/net/snmp").stdout();
        List<String> udp = snmp.lines().filter(l -> l.startsWith("Udp:")).toList();
        List<String> names = Arrays.asList(udp.get(0).split("\\s+"));
        return Long.parseLong(udp.get(1).split("\\s+")[names.indexOf("InCsumErrors")]);
    }
}
