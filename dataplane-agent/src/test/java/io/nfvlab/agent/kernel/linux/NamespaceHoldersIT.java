package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.process.CommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.nfvlab.agent.kernel.linux.KernelFixture.assumeRoot;
import static io.nfvlab.agent.kernel.linux.KernelFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What keeps a deleted namespace alive, found from /proc: a socket opened inside it, a thread parked in it, and — the
 * leak this class was written for — threads that the JVM creates while a thread of the agent is inside a namespace
 * (the process-output and process-reaper pools inherit the creating thread's namespace and keep it while reused).
 */
class NamespaceHoldersIT {
    private String ns;

    @BeforeEach
    void create() {
        assumeRoot();
        ns = unique("nfv-holdit");
        assertThat(CommandRunner.run(List.of("ip", "netns", "add", ns), Duration.ofSeconds(10)).ok()).isTrue();
    }

    @AfterEach
    void delete() {
        if (ns != null) {
            CommandRunner.run(List.of("ip", "netns", "del", ns), Duration.ofSeconds(10));
        }
    }

    @Test
    void aSocketOpenedInsideHoldsTheNamespaceUntilClosed() throws Exception {
        Map<String, Long> id = NamespaceHolders.identities(Set.of(ns));
        assertThat(id).containsKey(ns);
        try (Rtnetlink nl = Rtnetlink.open(ns)) {
            assertThat(NamespaceHolders.of(id)).anySatisfy(h -> assertThat(h).startsWith("socket fd").contains(ns));
        }
        assertThat(NamespaceHolders.of(id)).isEmpty();
    }

    @Test
    void aThreadInsideHoldsTheNamespaceUntilItLeaves() throws Exception {
        Map<String, Long> id = NamespaceHolders.identities(Set.of(ns));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try (ThreadNetns in = ThreadNetns.enter(ns)) {
                inside.countDown();
                leave.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ns-holder");
        t.start();
        inside.await();
        assertThat(NamespaceHolders.of(id)).anySatisfy(h -> assertThat(h).contains("ns-holder").contains(ns));
        leave.countDown();
        t.join();
        assertThat(NamespaceHolders.of(id)).isEmpty();
    }

    /**
     * Commands run inside a namespace, many at once so that the JVM must start new output-drain and process-reaper
     * threads meanwhile: once they have returned, no thread or socket of this process may be in that namespace.
     */
    @Test
    void commandsRunInsideLeaveNoThreadBehindInTheNamespace() throws Exception {
        Map<String, Long> id = NamespaceHolders.identities(Set.of(ns));
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<CommandRunner.Result>> runs = new ArrayList<>();
            for (int i = 0; i < 36; i++) {
                runs.add(pool.submit(() -> InNetns.run(List.of("ip", "-n", ns, "link", "show", "lo"), Duration.ofSeconds(20))));
            }
            for (Future<CommandRunner.Result> r : runs) {
                assertThat(r.get().ok()).as(r.get().stderr()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(NamespaceHolders.of(id)).isEmpty();
    }
}
