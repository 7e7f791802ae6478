package io.nfvlab.operator.traffic;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.nfvlab.api.node.SyncReasons;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.bridge.DpdkBridgeSpec;
import io.nfvlab.api.bridge.FlowSpec;
import io.nfvlab.api.bridge.VhostUserPort;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.PassCriteria;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.controller.Events;
import io.nfvlab.operator.controller.OperatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@code kubectl describe} shows on the objects users own: Ready transitions, errors the node agents report (they
 * land on an internal NetworkNodeState first), refused specs and test verdicts as Events on the VirtualTopology,
 * TrafficTest or DpdkBridge, deduplicated and naming the operator as reporting controller. The real reconcilers and a
 * real agent (in-memory dataplane, scripted traffic) on the in-process API server.
 */
class EventsWhereUsersLookTest {
    private static final String NS = "default";
    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private NfvlabOperator operator;
    private Agent agent;
    private final FakeDataplane dataplane = new FakeDataplane();
    private final ScriptedTrafficJobs jobs = new ScriptedTrafficJobs();

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start();
        admin = server.client();
        agent = Agent.start(server.newClient(), AgentConfig.builder().nodeName("node-a").embedded(true)
                .dataplane(dataplane).trafficJobs(jobs).sweepOrphansOnStart(false)
                .resyncInterval(Duration.ofSeconds(2)).trafficPollInterval(Duration.ofMillis(200)).build());
        operator = NfvlabOperator.start(server.newClient(), OperatorConfig.embeddedDefaults());
    }

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.close();
        }
        if (agent != null) {
            agent.close();
        }
        server.close();
    }

    @Test
    void aTopologyTellsItBecameReadyAndATestItsVerdict() {
        admin.resource(TrafficTestReconcilerTest.topology("lin4", "linear,4")).create();
        Event ready = awaitEvent("lin4", e -> "Ready".equals(e.getReason()));
        assertThat(ready.getType()).isEqualTo("Normal");
        assertThat(ready.getMessage()).isEqualTo("4 hosts and 7 links on 1 node");
        assertThat(ready.getReportingComponent()).isEqualTo(Events.REPORTING_CONTROLLER);
        assertThat(ready.getReportingInstance()).isNotBlank();
        assertThat(ready.getInvolvedObject().getKind()).isEqualTo("VirtualTopology");
        assertThat(ready.getInvolvedObject().getUid()).isEqualTo(admin.resources(VirtualTopology.class).inNamespace(NS).withName("lin4").get()
                .getMetadata().getUid());

        jobs.cut.add("h1>h4");
        admin.resource(TrafficTestReconcilerTest.test("strict", TrafficTestSpec.builder().type(TrafficType.PINGALL)
                .passCriteria(PassCriteria.builder().maxLossPercent(0.0).build()))).create();
        Event verdict = awaitEvent("strict", e -> "MaxLossPercentExceeded".equals(e.getReason()));
        assertThat(verdict.getType()).isEqualTo("Warning");
        assertThat(verdict.getMessage()).startsWith("passCriteria.maxLossPercent 0: h1 → h4 lost 100%");
        assertThat(verdict.getInvolvedObject().getKind()).isEqualTo("TrafficTest");
    }

    @Test
    void errorsTheAgentReportsReachTheTopologyAsAWarning() {
        dataplane.kernel("node-a").setOvsAvailable(false);
        VirtualTopology vt = TrafficTestReconcilerTest.topology("ovs2", "linear,2");
        vt.getSpec().setSwitchKind(SwitchKind.OVS);
        admin.resource(vt).create();
        // a node without OVS is the agent error with a reason of its own (OvsMissing), naming node and switches
        Event degraded = awaitEvent("ovs2", e -> SyncReasons.OVS_MISSING.equals(e.getReason()));
        assertThat(degraded.getType()).isEqualTo("Warning");
        assertThat(degraded.getMessage()).contains("Open vSwitch is missing on node node-a").contains("s1 (ovs)");
        assertThat(degraded.getReportingComponent()).isEqualTo(Events.REPORTING_CONTROLLER);

        // the agent retries every resync with the same error: still one Event, not one per retry
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> eventsOf("ovs2").stream()
                .filter(e -> SyncReasons.OVS_MISSING.equals(e.getReason())).count() == 1);

        dataplane.kernel("node-a").setOvsAvailable(true);
        assertThat(awaitEvent("ovs2", e -> "Ready".equals(e.getReason())).getType()).isEqualTo("Normal");
    }

    @Test
    void aRefusedDpdkBridgeSaysWhichFieldInTheDefaultNamespace() {
        DpdkBridge bridge = new DpdkBridge();
        bridge.getMetadata().setName("br-flows");
        bridge.setSpec(DpdkBridgeSpec.builder().bridgeName("br-flows").port(VhostUserPort.builder().name("vhu0").build())
                .flows(FlowSpec.builder().mode(FlowSpec.Mode.PORT_PAIRS).pairs(List.of(new FlowSpec.PortPair("vhu0", "vhu7"))).build())
                .build());
        admin.resource(bridge).create();
        Event invalid = awaitEvent("br-flows", e -> "InvalidSpec".equals(e.getReason()));
        assertThat(invalid.getType()).isEqualTo("Warning");
        assertThat(invalid.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(invalid.getInvolvedObject().getKind()).isEqualTo("DpdkBridge");
        assertThat(invalid.getMessage()).contains("spec.flows.pairs[0].b").contains("vhu7");
    }

    @Test
    void theSameEventAgainIsCountedOnTheFirstOne() {
        admin.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-x").endMetadata().build()).create();
        var node = admin.nodes().withName("node-x").get();
        Events events = new Events(server.newClient(), "nfvlab-operator");
        events.warning(node, "NodeErrors", "switches/s1: OVS is not reachable");
        events.warning(node, "NodeErrors", "switches/s1: OVS is not reachable");
        events.warning(node, "NodeErrors", "switches/s1: OVS is not reachable");
        events.warning(node, "NodeErrors", "switches/s2: OVS is not reachable");
        List<Event> recorded = eventsOf("node-x");
        assertThat(recorded).hasSize(2);
        assertThat(recorded).filteredOn(e -> e.getMessage().startsWith("switches/s1")).singleElement().satisfies(e -> {
            assertThat(e.getCount()).isEqualTo(3);
            assertThat(e.getFirstTimestamp()).isNotNull();
            assertThat(e.getLastTimestamp()).isNotNull();
            assertThat(e.getSource().getComponent()).isEqualTo("nfvlab-operator");
        });
        assertThat(recorded).filteredOn(e -> e.getMessage().startsWith("switches/s2")).singleElement()
                .satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
    }

    private List<Event> eventsOf(String name) {
        return admin.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }

    private Event awaitEvent(String name, Predicate<Event> which) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> eventsOf(name).stream().anyMatch(which));
        return eventsOf(name).stream().filter(which).findFirst().orElseThrow();
    }
}
