package io.nfvlab.operator.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.common.ObjectRef;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.traffic.Rfc2544Row;
import io.nfvlab.api.traffic.Rfc2544Spec;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus.Phase;
import io.nfvlab.api.traffic.TrafficType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * rfc2544 on the kernel path end to end: operator and real agent against the in-process API server, real namespaces,
 * the agent's link shaping and iperf3 UDP sized to the frame. Line rate is set to 100 Mbit/s so that the 50 Mbit/s
 * shaper, not the search's upper bound, is what the search finds.
 *
 * <p>512-byte frames only: with 1518-byte frames the zero-loss NDR came out at 24–52 % of line in runs minutes
 * apart (50.5, 52.3, 24.2 at load average 28, 37.5 at load 3), the 2 s final trial near the shaper's rate losing
 * frames; why (datagrams still queued behind the shaper when iperf3 ends count as lost, or the shaper itself) is not
 * established yet. 512-byte frames landed at 50.5–53.7 % in all five runs.
 *
 * <p>Tolerance of the NDR band (44–56 % of the 100 Mbit/s line): the shaper counts a frame without preamble, gap and
 * FCS (1514 of 1538 wire bytes for 1518-byte frames, 508 of 532 for 512), so the wire rate it lets through is 50.8
 * and 52.4 Mbit/s; over 1–2 s trials it passed about 3 % more than that on this machine (measured: NDR 52.3 % for
 * 1518, 53.7 % for 512), hence the upper end 56. The search stops within its precision (4 % of line here) below the
 * rate, and the lower end leaves room for the two cores this machine shares (a starved iperf3 receiver loses
 * datagrams the link carried).
 */
class Rfc2544KernelIT {
    static final String NS = "default";
    private KernelNodeLab lab;
    private String tag;
    private KubernetesClient admin;
    private List<String> topologies;

    @BeforeEach
    void start() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create namespaces, bridges and qdiscs");
        lab = KernelNodeLab.start("r25k");
        tag = lab.tag;
        admin = lab.admin;
        topologies = lab.topologies;
    }

    @AfterEach
    void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void ndrOfA50MbitLinkIsFoundWithinTheShapersBandAndTheSearchReportsProgress() {
        String topo = topology(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("linear").k(2).build())
                .linkDefaults(LinkParams.builder().bandwidthMbps(50.0).build()).build());
        Set<String> progress = ConcurrentHashMap.newKeySet();
        TrafficTest done = run("rfc-shaped", topo, Rfc2544Spec.builder().frameSizes(List.of("512")).lineRateGbps(0.1)
                .precisionPercent(4.0).trialSeconds(1).finalTrialSeconds(2).build(), progress);
        print(done);
        assertThat(done.getStatus().getPhase()).as(done.getStatus().getMessage()).isEqualTo(Phase.SUCCEEDED);
        assertThat(done.getStatus().getRfc2544()).extracting(Rfc2544Row::getFrameSize).containsExactly("512");
        for (Rfc2544Row row : done.getStatus().getRfc2544()) {
            assertThat(row.getNdrPercent()).as("NDR of %s-byte frames, %% of 100 Mbit/s", row.getFrameSize()).isBetween(44.0, 56.0);
            assertThat(row.getNdrGbps()).isCloseTo(row.getNdrPercent() / 1000, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(row.getPdrPercent()).isGreaterThanOrEqualTo(row.getNdrPercent()).isLessThanOrEqualTo(56.0);
            assertThat(row.getLatency()).as("iperf3 times no frames: no latency is claimed").isNull();
        }
        // the job's message said where the search was while it ran
        assertThat(progress).anyMatch(m -> m.contains("frame size 512 (1/1): trial") && m.contains("NDR"));
        assertThat(done.getStatus().getSummary()).startsWith("Results: 512 B: NDR ");
    }

    @Test
    void aLinkLosingHalfAPercentHasAConsistentPdrAndALowerNdr() {
        String topo = topology(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("linear").k(2).build())
                .linkDefaults(LinkParams.builder().bandwidthMbps(50.0).build())
                .linkOverrides(List.of(LinkSpec.builder().a("h1").b("s1").bandwidthMbps(50.0).lossPercent(0.5).build())).build());
        TrafficTest done = run("rfc-lossy", topo, Rfc2544Spec.builder().frameSizes(List.of("1518")).lineRateGbps(0.1)
                .minRatePercent(5.0).pdrLossPercent(1.0).precisionPercent(4.0).maxTrials(14).trialSeconds(1).finalTrialSeconds(3).build(),
                ConcurrentHashMap.newKeySet());
        print(done);
        Rfc2544Row row = done.getStatus().getRfc2544().get(0);
        // 0.5 % random loss passes a 1 % PDR up to about the shaper's rate (where the frames still queued behind it at
        // the end of a trial add to the loss); the final 3 s trial (≈12 000 frames) cannot have lost less than the
        // link's own 0.5 % by much: 0.2 % leaves room for counting noise, 1 % is the ratio itself
        // where the PDR lies depends on the machine's load too (a final 3 s trial that a starved receiver spoils sends
        // the search below it with long trials: 25.8 % was seen at load average 17–28, 49.5–52.5 % at 20–23); printed
        assertThat(row.getPdrPercent()).as(row.getError()).isNotNull().isGreaterThanOrEqualTo(5.0).isLessThanOrEqualTo(56.0);
        assertThat(row.getPdrLossPercent()).isBetween(0.2, 1.0);
        assertThat(done.getStatus().getPhase()).as(done.getStatus().getMessage()).isEqualTo(Phase.SUCCEEDED);
        // no trial of thousands of frames loses none: the NDR is far lower, or none at all from 5 % of line up (400
        // frames a second: 0.995^400, one trial in seven, passes)
        assertThat(row.getNdrPercent() == null || row.getNdrPercent() < row.getPdrPercent() / 2)
                .as("NDR %s below half the PDR %s", row.getNdrPercent(), row.getPdrPercent()).isTrue();
    }

    private TrafficTest run(String name, String topo, Rfc2544Spec spec, Set<String> progress) {
        TrafficTest t = new TrafficTest();
        t.getMetadata().setName(name);
        t.getMetadata().setNamespace(NS);
        t.setSpec(TrafficTestSpec.builder().type(TrafficType.RFC2544).topologyRef(ObjectRef.builder().name(topo).build())
                .rfc2544(spec).timeoutSeconds(120).build());
        admin.resource(t).create();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            TrafficTest now = admin.resources(TrafficTest.class).inNamespace(NS).withName(name).get();
            if (now == null || now.getStatus() == null) {
                return false;
            }
            if (now.getStatus().getMessage() != null) {
                progress.add(now.getStatus().getMessage());
            }
            return now.getStatus().getPhase() == Phase.SUCCEEDED || now.getStatus().getPhase() == Phase.FAILED;
        });
        return admin.resources(TrafficTest.class).inNamespace(NS).withName(name).get();
    }

    private static void print(TrafficTest t) {
        System.out.println(t.getMetadata().getName() + ": " + t.getStatus().getPhase() + " " + t.getStatus().getMessage());
        System.out.println("  " + t.getStatus().getSummary());
        if (t.getStatus().getRfc2544() != null) {
            t.getStatus().getRfc2544().forEach(r -> System.out.println("  " + r));
        }
    }

    private String topology(VirtualTopologySpec spec) {
        String name = tag + "t" + topologies.size();
        VirtualTopology vt = new VirtualTopology();
        vt.getMetadata().setName(name);
        vt.getMetadata().setNamespace(NS);
        vt.setSpec(spec);
        admin.resource(vt).create();
        topologies.add(name);
        return name;
    }
}
