package io.nfvlab.operator;

import io.nfvlab.operator.controller.OperatorConfig;
import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.profile.LinkProfile;
import io.nfvlab.api.profile.LinkProfileSpec;
import io.nfvlab.api.expansion.LinkProfiles;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NfvlabOperatorTest {

    @Test
    void metricsHealthAndReadinessAreServed() throws Exception {
        try (ControlPlane plane = ControlPlane.start("m-node",
                OperatorConfig.embeddedDefaults().toBuilder().metricsPort(-1).build())) {
            EmbeddedApiServer server = plane.server();
            NfvlabOperator operator = plane.operator();
            assertThat(operator.metricsPort()).isPositive();
            assertThat(get(operator, "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(operator, "/readyz").statusCode()).isEqualTo(200);

            createMinimalTopologyAndAwaitReady(server, "metered");

            String metrics = get(operator, "/metrics").body();
            assertThat(metrics).containsPattern("(?m)^nfvlab_topologies\\{state=\"ready\"} 1\\.0$");
            assertThat(metrics).containsPattern("(?m)^nfvlab_topologies\\{state=\"invalid\"} 0\\.0$");
            assertThat(metrics).containsPattern("(?m)^nfvlab_build_info\\{revision=\"[^\"]+\",version=\"[^\"]+\"} 1(\\.0)?$");
            assertThat(metrics).containsPattern("(?m)^nfvlab_reconcile_duration_seconds_bucket\\{controller=\"virtualtopology\",outcome=\"ok\",le=\"0\\.5\"} ");
            assertThat(operator.metrics().failedRegistrations()).as("meters Prometheus refused").isEmpty();
            assertThat(metrics).containsPattern("(?m)^nfvlab_reconcile_duration_seconds_count\\{controller=\"virtualtopology\",outcome=\"ok\"} [1-9]");
            assertThat(metrics).containsPattern("(?m)^nfvlab_plan_duration_seconds_count\\{controller=\"virtualtopology\"} [1-9]");
            // the SDK's own metrics, without per-resource labels
            assertThat(metrics).contains("operator_sdk_").doesNotContain("metered");
        }
    }

    /** `nfvlab run` without DpdkBridges: no controller for them, and the topologies' controllers still at work. */
    @Test
    void withoutDpdkBridgesABridgeIsNeverReconciledWhileTopologiesAre() {
        try (ControlPlane plane = ControlPlane.start("b-node",
                OperatorConfig.embeddedDefaults().toBuilder().dpdkBridges(false).build())) {
            EmbeddedApiServer server = plane.server();
            io.nfvlab.api.bridge.DpdkBridge bridge = new io.nfvlab.api.bridge.DpdkBridge();
            bridge.getMetadata().setName("unwatched");
            bridge.setSpec(io.nfvlab.api.bridge.DpdkBridgeSpec.builder().bridgeName("brunwatched").build());
            server.client().resource(bridge).create();
            createMinimalTopologyAndAwaitReady(server, "watched");

            assertThat(server.client().resources(io.nfvlab.api.bridge.DpdkBridge.class).withName("unwatched").get().getStatus())
                    .as("a bridge nobody reconciles has no status").isNull();
        }
    }

    /**
     * `nfvlab run` without LinkProfiles: its topologies do not watch them, so a profile written anyway is not seen (with
     * them watched, the same topology is Ready: {@code LinkProfileIT}); a topology naming one is not Ready, saying which.
     */
    @Test
    void withoutLinkProfilesATopologyNamingOneFindsNone() {
        try (ControlPlane plane = ControlPlane.start("p-node",
                OperatorConfig.embeddedDefaults().toBuilder().linkProfiles(false).build())) {
            EmbeddedApiServer server = plane.server();
            LinkProfile profile = new LinkProfile();
            profile.getMetadata().setName("wan");
            profile.setSpec(LinkProfileSpec.builder().delay("20ms").build());
            server.client().resource(profile).create();
            VirtualTopology vt = new VirtualTopology();
            vt.getMetadata().setName("profiled");
            vt.getMetadata().setNamespace("default");
            vt.setSpec(VirtualTopologySpec.builder()
                    .host(HostSpec.builder().name("h1").build())
                    .host(HostSpec.builder().name("h2").build())
                    .switchSpec(SwitchSpec.builder().name("s1").build())
                    .link(LinkSpec.builder().a("h1").b("s1").profiles(List.of("wan")).build())
                    .link(LinkSpec.builder().a("h2").b("s1").build())
                    .build());
            server.client().resource(vt).create();

            await().atMost(Duration.ofSeconds(20)).until(() -> {
                VirtualTopology t = server.client().resources(VirtualTopology.class).inNamespace("default").withName("profiled").get();
                return t.getStatus() != null && Conditions.find(t.getStatus().getConditions(), Conditions.READY)
                        .filter(c -> LinkProfiles.PROFILE_NOT_FOUND.equals(c.getReason()))
                        .filter(c -> c.getMessage().contains("names LinkProfile wan")).isPresent();
            });
        }
    }

    @Test
    void operatorMainExplainsItsOptions() {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new OperatorMain()).setOut(new PrintWriter(out)).execute("--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("--kubeconfig", "--metrics-port", "--node-gone-grace", "--embedded",
                "--leader-election", Nfvlab.DEFAULT_SYSTEM_NAMESPACE);
    }

    /** A `minimal` topology in namespace default, once the operator (and the agent) made it Ready. */
    private static void createMinimalTopologyAndAwaitReady(EmbeddedApiServer server, String name) {
        MinimalTopologies.create(server, name);
        MinimalTopologies.awaitReady(server, name, Duration.ofSeconds(20));
    }

    private static HttpResponse<String> get(NfvlabOperator operator, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.metricsPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An in-process API server, an agent on the fake dataplane for {@code node}, and the operator with {@code config}. */
    private record ControlPlane(EmbeddedApiServer server, Agent agent, NfvlabOperator operator) implements AutoCloseable {
        static ControlPlane start(String node, OperatorConfig config) {
            EmbeddedApiServer server = EmbeddedApiServer.start();
            Agent agent = null;
            try {
                agent = Agent.start(server.newClient(), AgentConfig.builder().nodeName(node).embedded(true)
                        .dataplane(new FakeDataplane()).sweepOrphansOnStart(false).build());
                return new ControlPlane(server, agent, NfvlabOperator.start(server.newClient(), config));
            } catch (RuntimeException e) {
                if (agent != null) {
                    agent.close();
                }
                server.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                operator.close();
            } finally {
                try {
                    agent.close();
                } finally {
                    server.close();
                }
            }
        }
    }
}
