package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Action.RelayStart;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.kernel.shaping.DelayLine;
import io.nfvlab.agent.kernel.shaping.DelayLineQueue.ByteBudget;
import io.nfvlab.agent.kernel.shaping.DelayLineQueue.QueueDrops;
import io.nfvlab.agent.kernel.shaping.RelayKey;
import io.nfvlab.agent.process.CommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.nfvlab.agent.kernel.linux.KernelFixture.assumeRoot;
import static io.nfvlab.agent.kernel.linux.KernelFixture.inNs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A delay line between two namespaces of this test (prefix {@code rqit-}), flooded with more bytes than its bounds
 * hold: the excess is dropped, counted as queue drops by bound, and the budget is whole again once the line stops.
 */
class LinuxRelaysIT {
    private final String id = UUID.randomUUID().toString().substring(0, 6);
    private final String nsA = "rqit-" + id + "-a";
    private final String nsB = "rqit-" + id + "-b";
    private final String rootA = "rqa" + id;
    private final String rootB = "rqb" + id;
    private final ByteBudget budget = new ByteBudget(1 << 20);
    private LinuxRelays relays;

    @BeforeEach
    void setUp() {
        assumeRoot();
        for (String[] side : List.of(new String[]{nsA, rootA, "10.255.77.1/24"}, new String[]{nsB, rootB, "10.255.77.2/24"})) {
            run("ip", "netns", "add", side[0]);
            run("ip", "link", "add", side[1], "type", "veth", "peer", "name", "eth0", "netns", side[0]);
            run("ip", "link", "set", side[1], "up");
            run("ip", "-n", side[0], "addr", "add", side[2], "dev", "eth0");
            run("ip", "-n", side[0], "link", "set", "eth0", "up");
            run("ip", "-n", side[0], "link", "set", "lo", "up");
        }
        relays = new LinuxRelays(null, budget);
    }

    @AfterEach
    void tearDown() {
        if (relays != null) {
            relays.stopAll();
        }
        // the root ends first: a namespace's devices go asynchronously after `ip netns del` returns
        for (String device : List.of(rootA, rootB)) {
            CommandRunner.run(List.of("ip", "link", "del", device), Duration.ofSeconds(10));
        }
        for (String ns : List.of(nsA, nsB)) {
            CommandRunner.run(List.of("ip", "netns", "del", ns), Duration.ofSeconds(10));
        }
        assertThat(CommandRunner.run(List.of("ip", "-o", "link", "show"), Duration.ofSeconds(10)).stdout())
                .doesNotContain(rootA).doesNotContain(rootB);
        assertThat(CommandRunner.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).stdout()).doesNotContain("rqit-" + id);
        assertThat(budget.used()).as("every queued byte given back").isZero();
    }

    @Test
    void aFloodPastTheLinesByteLimitIsDroppedAndCountedAsByteBoundQueueDrops() {
        // 300 ms each way at 200 echoes/s keeps ~60 frames of ~1450 bytes in flight per direction: ~87 KB, three times
        // the line's 30 KB, while the frame limit (1000) is never reached
        RelayKey key = new RelayKey("rqit" + id, "a~b");
        BatchResult started = relays.relay(List.of(new RelayStart("links/a~b", key, null, rootA, rootB,
                new DelayLine(Duration.ofMillis(300), Duration.ZERO, 1000, 30_000))));
        assertThat(started.failures()).isEmpty();

        CommandRunner.Result r = inNs(nsA, Duration.ofSeconds(60), "ping", "-q", "-n", "-s", "1400", "-i", "0.005", "-c", "400",
                "-W", "2", "10.255.77.2");
        Matcher m = Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(r.stdout());
        assertThat(m.find()).as(r.stdout() + r.stderr()).isTrue();
        long sent = Long.parseLong(m.group(1));
        long received = Long.parseLong(m.group(2));
        QueueDrops drops = relays.queueDrops().get(key);
        System.out.printf("byte-bounded delay line: %d/%d echoes answered, queue drops %s%n", received, sent, drops);

        assertThat(received).as("some echoes fit").isPositive();
        assertThat(received).as("not all fit").isLessThan(sent);
        assertThat(drops.frames()).isZero();
        assertThat(drops.bytes()).as("every echo lost was dropped at the byte bound").isGreaterThanOrEqualTo(sent - received);
        assertThat(relays.byteBoundDrops()).as("the agent-wide count traffic results read").isEqualTo(drops.bytes());
    }

    @Test
    void linesThatEachFitTheirOwnLimitAreStillBoundedByTheAgentsBudget() {
        ByteBudget small = new ByteBudget(30_000);
        relays.stopAll();
        relays = new LinuxRelays(null, small);
        RelayKey key = new RelayKey("rqit" + id, "a~b");
        assertThat(relays.relay(List.of(new RelayStart("links/a~b", key, null, rootA, rootB,
                new DelayLine(Duration.ofMillis(300), Duration.ZERO, 1000)))).failures()).isEmpty();

        inNs(nsA, Duration.ofSeconds(60), "ping", "-q", "-n", "-s", "1400", "-i", "0.005", "-c", "400", "-W", "2", "10.255.77.2");
        QueueDrops drops = relays.queueDrops().get(key);
        assertThat(drops.bytes()).isPositive();
        assertThat(drops.frames()).isZero();
        relays.stopAll();
        assertThat(small.used()).isZero();
    }

    private static void run(String... argv) {
        CommandRunner.run(List.of(argv), Duration.ofSeconds(10)).orThrow();
    }
}
