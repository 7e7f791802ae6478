package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.process.CommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.nfvlab.agent.kernel.linux.KernelFixture.assumeRoot;
import static io.nfvlab.agent.kernel.linux.KernelFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ip -batch} on the real kernel with veth pairs created straight into two named namespaces: {@code ip} keeps
 * every namespace it opened for a {@code netns} word, so one process for all lines runs out of descriptors. Here the
 * limit is lowered (600) so that 400 pairs (800 namespace opens) would stop part-way in one process.
 */
class IpBatchIT {
    private static final int PAIRS = 400;
    private String a;
    private String b;

    @BeforeEach
    void create() {
        assumeRoot();
        String id = unique("nfv-ipbit");
        a = id + "-a";
        b = id + "-b";
        for (String ns : List.of(a, b)) {
            assertThat(CommandRunner.run(List.of("ip", "netns", "add", ns), Duration.ofSeconds(10)).ok()).isTrue();
        }
    }

    @AfterEach
    void delete() {
        for (String ns : new String[] {a, b}) {
            if (ns != null) {
                CommandRunner.run(List.of("ip", "netns", "del", ns), Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void everyPairIsCreatedOrReportedFailedUnderALowOpenFileLimit() {
        IpBatch batch = new IpBatch();
        for (int i = 0; i < PAIRS; i++) {
            batch.add(new Action.NetnsAdd("links/l" + i, a), "link", "add", "va" + i, "netns", a, "type", "veth",
                    "peer", "name", "vb" + i, "netns", b);
        }
        BatchResult r = batch.run(List.of("prlimit", "--nofile=600:600", "ip", "-force", "-batch", "-"), Duration.ofSeconds(60));

        assertThat(r.failures()).isEmpty();
        assertThat(count(a)).isEqualTo(PAIRS);
        assertThat(count(b)).isEqualTo(PAIRS);
    }

    @Test
    void linesAProcessNeverRanAreReportedFailed() {
        IpBatch batch = new IpBatch();
        for (int i = 0; i < 3; i++) {
            batch.add(new Action.NetnsAdd("links/l" + i, a), "link", "add", "va" + i, "netns", a, "type", "veth",
                    "peer", "name", "vb" + i, "netns", b);
        }
        // 3 standard descriptors and a few of prlimit's leave ip no room for the first line's namespaces
        BatchResult r = batch.run(List.of("prlimit", "--nofile=4:4", "ip", "-force", "-batch", "-"), Duration.ofSeconds(60));

        assertThat(r.failures()).extracting(f -> f.action().item()).containsExactly("links/l0", "links/l1", "links/l2");
        assertThat(count(a)).isZero();
    }

    private static long count(String ns) {
        CommandRunner.Result r = CommandRunner.run(List.of("ip", "-n", ns, "-o", "link", "show", "type", "veth"), Duration.ofSeconds(10));
        assertThat(r.ok()).as(r.describe()).isTrue();
        return r.stdout().lines().filter(l -> !l.isBlank()).count();
    }
}
