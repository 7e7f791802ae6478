package io.nfvlab.e2e;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologyStatus;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterChecksTest {
    private static final Instant NOW = Instant.parse("2026-12-04T22:00:00Z");

    @Test
    void theOperatorIsUpWithAnAvailableReplicaAndALeader() {
        Deployment starting = new DeploymentBuilder().withNewStatus().withAvailableReplicas(0).endStatus().build();
        Deployment available = new DeploymentBuilder().withNewStatus().withAvailableReplicas(1).endStatus().build();
        Lease led = new LeaseBuilder().withNewSpec().withHolderIdentity("nfvlab-operator-abc").endSpec().build();
        assertThat(ClusterChecks.operatorPending(null, null, true)).contains("no Deployment");
        assertThat(ClusterChecks.operatorPending(starting, led, true)).contains("no available replica");
        assertThat(ClusterChecks.operatorPending(available, null, true)).contains("Lease nfvlab-operator");
        assertThat(ClusterChecks.operatorPending(available, null, false)).isNull();
        assertThat(ClusterChecks.operatorPending(available, led, true)).isNull();
    }

    @Test
    void theDaemonSetIsUpWhenEveryScheduledAgentIsReadyAndCurrent() {
        assertThat(ClusterChecks.daemonSetPending(daemonSet(0, 0, 0))).contains("no node");
        assertThat(ClusterChecks.daemonSetPending(daemonSet(3, 2, 3))).contains("2/3 agents ready");
        assertThat(ClusterChecks.daemonSetPending(daemonSet(3, 3, 2))).contains("2/3 current");
        assertThat(ClusterChecks.daemonSetPending(daemonSet(3, 3, 3))).isNull();
    }

    @Test
    void anAgentCountsOnlyWithItsNodeAndAFreshLease() {
        Map<String, Node> nodes = Map.of("n1", node("n1", false), "n3", node("n3", false), "n4", node("n4", false));
        Map<String, Lease> leases = Map.of("n1", lease(NOW.minusSeconds(5)), "n2", lease(NOW.minusSeconds(5)),
                "n3", lease(NOW.minusSeconds(60)));
        String pending = ClusterChecks.agentsPending(List.of("n1", "n2", "n3", "n4"), nodes, leases, NOW);
        assertThat(pending).doesNotContain("n1 (").contains("n2 (no such Node)", "n3 (the Lease nfvlab-agent-n3 was last renewed",
                "n4 (no agent holds the Lease");
        assertThat(ClusterChecks.agentsPending(List.of("n1"), nodes, leases, NOW)).isNull();
        assertThat(ClusterChecks.agentsPending(List.of(), nodes, leases, NOW)).isEqualTo("no node runs an agent");
    }

    @Test
    void aTopologyIsDoneWhenReadyForItsCurrentGenerationAndFailsAtOnceWhenRefused() {
        assertThat(ClusterChecks.topologyPending(topology(2L, 2L, Conditions.FALSE, "Progressing"))).contains("Ready=False (Progressing");
        assertThat(ClusterChecks.topologyPending(topology(2L, 1L, Conditions.TRUE, "Ready"))).contains("Ready=True");
        assertThat(ClusterChecks.topologyPending(topology(2L, 2L, Conditions.TRUE, "Ready"))).isNull();
        assertThatThrownBy(() -> ClusterChecks.topologyPending(topology(1L, 1L, Conditions.FALSE, "InvalidSpec")))
                .hasMessageContaining("was refused");
    }

    @Test
    void testsAreDoneWhenAllSucceededWithResultsAndAFailureEndsTheWait() {
        TrafficTest ok = test("ping", TrafficTestStatus.Phase.SUCCEEDED, "*** Results: 0% dropped (12/12 received)", true);
        TrafficTest running = test("iperf", TrafficTestStatus.Phase.RUNNING, null, false);
        TrafficTest empty = test("hollow", TrafficTestStatus.Phase.SUCCEEDED, "ok", false);
        assertThat(ClusterChecks.testsPending(List.of(ok))).isNull();
        assertThat(ClusterChecks.testsPending(List.of(ok, running))).contains("iperf").doesNotContain("ping");
        assertThat(ClusterChecks.testsPending(List.of(empty))).contains("hollow Succeeded without results");
        assertThat(ClusterChecks.testsPending(List.of())).isEqualTo("no traffic test exists");
        assertThatThrownBy(() -> ClusterChecks.testsPending(List.of(ok, test("bad", TrafficTestStatus.Phase.FAILED, "50% dropped", true))))
                .hasMessageContaining("TrafficTest bad Failed");
    }

    @Test
    void leftoversNameEveryCrdTheNamespaceAndLabelledNodes() {
        assertThat(ClusterChecks.leftovers(List.of("foo.example.com"), false, List.of(node("n1", false)))).isNull();
        assertThat(ClusterChecks.leftovers(List.of("virtualtopologies.nfvlab.io"), true, List.of(node("n1", true))))
                .contains("CRD virtualtopologies.nfvlab.io", "the system namespace", "label nfvlab.io/agent on node n1");
    }

    private static DaemonSet daemonSet(int desired, int ready, int updated) {
        return new DaemonSetBuilder().withNewStatus().withDesiredNumberScheduled(desired).withNumberReady(ready)
                .withUpdatedNumberScheduled(updated).endStatus().build();
    }

    private static Node node(String name, boolean labelled) {
        return new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(labelled ? Map.of("nfvlab.io/agent", "ready") : Map.of()).endMetadata().build();
    }

    private static Lease lease(Instant renewed) {
        return new LeaseBuilder().withNewSpec().withHolderIdentity("agent").withLeaseDurationSeconds(15)
                .withRenewTime(renewed.atZone(ZoneOffset.UTC)).endSpec().build();
    }

    private static VirtualTopology topology(long generation, long observed, String ready, String reason) {
        VirtualTopology t = new VirtualTopology();
        t.getMetadata().setName("linear-4");
        t.getMetadata().setGeneration(generation);
        t.setStatus(VirtualTopologyStatus.builder().observedGeneration(observed)
                .conditions(Conditions.set(null, Conditions.READY, Conditions.TRUE.equals(ready), reason, "m", observed)).build());
        return t;
    }

    private static TrafficTest test(String name, TrafficTestStatus.Phase phase, String summary, boolean results) {
        TrafficTest t = new TrafficTest();
        t.getMetadata().setName(name);
        TrafficTestStatus s = new TrafficTestStatus();
        s.setPhase(phase);
        s.setSummary(summary);
        s.setResults(results ? List.of(new PairResult()) : null);
        t.setStatus(s);
        return t;
    }
}
