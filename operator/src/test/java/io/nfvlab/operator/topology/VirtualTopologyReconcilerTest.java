package io.nfvlab.operator.topology;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.PlacementSpec;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.embedded.EmbeddedApiServer;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.OperatorConfig;
import io.nfvlab.operator.TestingAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The reconciler against the in-process API server, with testing agents that only acknowledge. */
class VirtualTopologyReconcilerTest {
    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private NfvlabOperator operator;
    private final List<TestingAgent> agents = new ArrayList<>();

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start();
        admin = server.client();
        for (String node : List.of("node-a", "node-b")) {
            admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(node)
                    .addToLabels(Nfvlab.AGENT_LABEL, Nfvlab.AGENT_READY)
                    .addToAnnotations(Nfvlab.UNDERLAY_ANNOTATION, node.equals("node-a") ? "192.168.77.1" : "192.168.77.2")
                    .endMetadata().build()).create();
            agents.add(new TestingAgent(server.newClient(), node));
        }
        operator = NfvlabOperator.start(server.newClient(), OperatorConfig.embeddedDefaults());
    }

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.close();
        }
        agents.forEach(TestingAgent::close);
        server.close();
    }

    @Test
    void linearFourSpreadOverTwoNodesBecomesReadyWithVxlanPairs() {
        VirtualTopology vt = topology("lin4", "linear,4", PlacementSpec.Strategy.SPREAD);
        admin.resource(vt).create();

        VirtualTopology ready = awaitReady("lin4");
        assertThat(ready.getStatus().getHosts()).isEqualTo("4/4");
        assertThat(ready.getStatus().getLinks()).isEqualTo("7/7");
        List<NetworkNodeState> states = admin.resources(NetworkNodeState.class).list().getItems();
        assertThat(states).hasSize(2);
        assertThat(ready.getStatus().getTunnels()).isNotEmpty();
    }

    private VirtualTopology awaitReady(String name) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            VirtualTopology t = admin.resources(VirtualTopology.class).inNamespace("default").withName(name).get();
            return t.getStatus() != null && Conditions.isTrue(t.getStatus().getConditions(), Conditions.READY);
        });
        return admin.resources(VirtualTopology.class).inNamespace("default").withName(name).get();
    }

    static VirtualTopology topology(String name, String builtin, PlacementSpec.Strategy strategy) {
        VirtualTopology vt = new VirtualTopology();
        vt.getMetadata().setName(name);
        vt.getMetadata().setNamespace("default");
        vt.setSpec(VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type(builtin).build())
                .placement(PlacementSpec.builder().strategy(strategy).build())
                .build());
        return vt;
    }
}
