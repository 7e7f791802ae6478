package io.nfvlab.agent.traffic;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nfvlab.agent.traffic.dispatch.ProcessTrafficJobs;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficSummary;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue #16: the tree pingall (tree,depth=2,fanout=8: 64 hosts, 4032 ordered pairs) once reported 74 % dropped on a
 * loop-free tree. Here it runs 20 times from cold neighbour caches with the machine's other core kept busy by
 * {@code stress-ng --cpu 1}, through the agent's traffic jobs, and must lose nothing; and loss the network does cause
 * (a link down, a lossy host link) must still be counted, under the same load.
 */
class PingallTreeUnderLoadIT {
    private static final int FANOUT = 8;

    private TreeLab lab;
    private Process stress;
    private ProcessTrafficJobs jobs;
    private int runs;

    @BeforeAll
    static void needsRootAndTools() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create network namespaces");
        assumeTrue(Programs.installed(io.nfvlab.api.node.Tool.PING) && Programs.installed(io.nfvlab.api.node.Tool.FPING), "needs iputils-ping and fping");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/stress-ng")),
                "needs stress-ng (scripts/setup-host.sh installs it)");
    }

    @BeforeEach
    void setUp() throws IOException {
        lab = new TreeLab("tpl", FANOUT);
        // --timeout: it ends by itself even if this JVM dies before tearDown
        stress = new ProcessBuilder("stress-ng", "--cpu", "1", "--timeout", "300", "--quiet")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        jobs = new ProcessTrafficJobs(new SimpleMeterRegistry());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        List<ProcessHandle> stressProcesses = new ArrayList<>();
        if (stress != null) {
            stress.descendants().forEach(stressProcesses::add);
            stressProcesses.add(stress.toHandle());
            stressProcesses.forEach(ProcessHandle::destroyForcibly);
            stress.waitFor(10, TimeUnit.SECONDS);
        }
        if (jobs != null) {
            jobs.close();
        }
        if (lab != null) {
            lab.close();
            assertThat(lab.leftovers()).isEmpty();
        }
        for (ProcessHandle p : stressProcesses) {
            p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join();
        }
        assertThat(stressProcesses).as("stress-ng and its workers stopped").noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void treePingallLosesNothingTwentyTimesInARowWithTheOtherCoreLoaded() {
        assertThat(stress.isAlive()).isTrue();
        List<String> lines = new ArrayList<>();
        long start = System.nanoTime();
        for (int round = 1; round <= 20; round++) {
            lab.flushNeighbours();
            long t = System.nanoTime();
            TrafficJobResult r = pingall();
            lines.add(String.format(Locale.ROOT, "round %2d: %.3f s  %s%s", round, (System.nanoTime() - t) / 1e9,
                    TrafficSummary.pingResults(r.getSent(), r.getReceived()), r.getMessage() == null ? "" : "  (" + r.getMessage() + ")"));
            System.out.println(lines.get(lines.size() - 1));
            assertThat(r.getPhase()).isEqualTo(TrafficJobResult.JobPhase.SUCCEEDED);
            assertThat(TrafficSummary.pingResults(r.getSent(), r.getReceived())).as(String.join("\n", lines))
                    .isEqualTo("Results: 0% dropped (4032/4032 received)");
            assertThat(r.getMessage()).as("round %d: nothing left unresolved, the neighbour table never full", round)
                    .satisfiesAnyOf(m -> assertThat(m).isNull(), m -> assertThat(m).doesNotContain("resolution round", "was full"));
        }
        System.out.printf(Locale.ROOT, "20 tree pingalls under load (with neighbour flushes): %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertThat(stress.isAlive()).as("the other core stayed loaded throughout").isTrue();
    }

    @Test
    void withTheUplinkOfOneLeafDownExactlyThePairsAcrossItAreLost() {
        lab.uplinkDown(2);
        TrafficJobResult r = pingall();
        // hosts h1…h8 hang off s2: their 8 × 56 pairs with the other leaves' hosts, each way, cannot cross s1–s2
        int cut = 2 * FANOUT * (FANOUT * FANOUT - FANOUT);
        // the result keeps totals and only the first troubled pairs (the plan's status must stay small)
        assertThat(r.getTroubledPairs()).as("lost pairs").isEqualTo((long) cut);
        assertThat(r.getResults()).filteredOn(p -> p.getReceived() == 0).isNotEmpty()
                .allMatch(p -> onLeaf2(p.getSource()) != onLeaf2(p.getDestination()));
        assertThat(TrafficSummary.pingResults(r.getSent(), r.getReceived())).isEqualTo("Results: 22% dropped (3136/4032 received)");
        assertThat(r.getMessage()).contains("resolution round (not counted): 896 of 4032 pairs did not answer");
    }

    @Test
    void aLossyLinkTowardsOneHostLosesAboutItsShareOfThatHostsEchoesAndNoOthers() {
        lab.dropAtHost(20, 0.3);
        TrafficJobResult r = pingall();
        List<PairResult> lost = r.getResults().stream().filter(p -> p.getReceived() == 0).toList();
        System.out.println("30 % of h20's incoming packets dropped: " + TrafficSummary.pingResults(r.getSent(), r.getReceived()));
        assertThat(lost).allMatch(p -> p.getSource().equals("h20") || p.getDestination().equals("h20"));
        // 126 pairs involve h20, each losing its one echo (request or reply) with p = 0.3: 37.8 expected, σ ≈ 5.1
        assertThat(r.getTroubledPairs()).isBetween(15L, 65L);
    }

    private static boolean onLeaf2(String host) {
        return Integer.parseInt(host.substring(1)) <= FANOUT;
    }

    private TrafficJobResult pingall() {
        runs++;
        NetworkNodeState state = new NetworkNodeState();
        state.setMetadata(new ObjectMetaBuilder().withName("traffictest.default.pingall." + lab.prefix).build());
        state.setSpec(NetworkNodeStateSpec.builder().nodeName("local")
                .owner(OwnerRef.builder().kind("TrafficTest").namespace("default").name("pingall").token(lab.prefix).build())
                .trafficJob(TrafficJob.builder().id("default/pingall").runKey(Integer.toString(runs)).role(TrafficJob.Role.CLIENT)
                        .type(TrafficType.PINGALL).pairs(lab.allPairs()).build())
                .build());
        List<TrafficJobResult> last = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> {
            last.clear();
            last.addAll(jobs.sync(state));
            return last.get(0).getPhase() != TrafficJobResult.JobPhase.RUNNING;
        });
        return last.get(0);
    }
}
