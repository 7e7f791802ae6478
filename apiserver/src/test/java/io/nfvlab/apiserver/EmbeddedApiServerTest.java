package io.nfvlab.apiserver;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.topology.VirtualTopologyStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedApiServerTest {

    @Test
    void storesTopologiesAndTheirStatusSubresource() {
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            var client = server.newClient();
            VirtualTopology vt = new VirtualTopology();
            vt.setMetadata(new ObjectMetaBuilder().withName("lin").withNamespace("default").build());
            vt.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("linear").k(4).build()).build());
            VirtualTopology created = client.resource(vt).create();
            assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

            created.setStatus(VirtualTopologyStatus.builder().hosts("4/4")
                    .conditions(Conditions.set(null, Conditions.READY, true, "Realized", "", 1L)).build());
            client.resource(created).updateStatus();

            VirtualTopology read = client.resources(VirtualTopology.class).inNamespace("default").withName("lin").get();
            assertThat(read.getStatus().getHosts()).isEqualTo("4/4");
            assertThat(Conditions.isTrue(read.getStatus().getConditions(), Conditions.READY)).isTrue();
            assertThat(read.getSpec().getTopology().getK()).isEqualTo(4);
            client.close();
        }
    }

    @Test
    void closingTheServerEndsItsEventLoopThreadsBeforeReturning() {
        // a JVM exiting while one of them still sits in epoll_wait waits 300 ms for it (bench/startup/README.md)
        Set<Thread> before = vertxThreads();
        EmbeddedApiServer server = EmbeddedApiServer.start();
        try (var client = server.newClient()) {
            client.resources(VirtualTopology.class).inAnyNamespace().list();
        }
        Set<Thread> started = vertxThreads();
        started.removeAll(before);
        assertThat(started).isNotEmpty();

        server.close();

        // a thread that has left its loop may still be alive for a moment while it exits: what costs the JVM's exit is
        // one still waiting for events
        assertThat(started).as("still polling when close returned").noneMatch(EmbeddedApiServerTest::polling);
        for (Thread t : started) {
            assertThatCode(() -> t.join(2000)).doesNotThrowAnyException();
            assertThat(t.isAlive()).as("%s ended", t.getName()).isFalse();
        }
    }

    private static boolean polling(Thread t) {
        return t.isAlive() && java.util.Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().contains("EPoll")
                || f.getClassName().contains("epoll") || f.getMethodName().equals("epollWait") || f.getMethodName().equals("doSelect"));
    }

    private static Set<Thread> vertxThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("vert.x-"))
                .collect(Collectors.toCollection(HashSet::new));
    }

    @Test
    void aStoppedServerRefusesConnectionsAndServesWhatItStoredAfterARestart() {
        try (EmbeddedApiServer server = EmbeddedApiServer.start(); var client = server.newClient()) {
            VirtualTopology vt = new VirtualTopology();
            vt.setMetadata(new ObjectMetaBuilder().withName("kept").withNamespace("default").build());
            vt.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("minimal").build()).build());
            String before = client.resource(vt).create().getMetadata().getResourceVersion();
            int port = server.port();

            server.stop();
            assertThatThrownBy(() -> client.resources(VirtualTopology.class).inNamespace("default").withName("kept").get())
                    .isInstanceOf(KubernetesClientException.class);

            server.restart();
            assertThat(server.port()).isEqualTo(port);
            VirtualTopology read = client.resources(VirtualTopology.class).inNamespace("default").withName("kept").get();
            assertThat(read.getMetadata().getResourceVersion()).isEqualTo(before);
            read.getSpec().getTopology().setType("single");
            read.getSpec().getTopology().setK(2);
            String after = client.resource(read).update().getMetadata().getResourceVersion();
            assertThat(Long.parseLong(after)).isGreaterThan(Long.parseLong(before));
        }
    }

    @Test
    void aJsonPatchThatDoesNotFitIsRefusedAtOnceAsARealServerDoes() {
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            var client = server.newClient();
            VirtualTopology vt = new VirtualTopology();
            vt.setMetadata(new ObjectMetaBuilder().withName("p").withNamespace("default").build());
            vt.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("minimal").build()).build());
            client.resource(vt).create();
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.resources(VirtualTopology.class).inNamespace("default").withName("p")
                    .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"/spec/ipBase\",\"value\":\"10.1.0.0/16\"},"
                            + "{\"op\":\"replace\",\"path\":\"/spec/nothere/x\",\"value\":1}]"))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            // the server still answers afterwards, and the refused patch changed nothing
            assertThat(client.resources(VirtualTopology.class).inNamespace("default").withName("p").get().getSpec().getIpBase())
                    .isNotEqualTo("10.1.0.0/16");
            client.close();
        }
    }

    private static final String TOPOLOGIES = "/apis/nfvlab.io/v1alpha1/namespaces/default/virtualtopologies";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void everyRequestNeedsTheServersTokenAsARealServerDoes() throws Exception {
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            String token = server.config().getOauthToken();
            // 256 random bits, base64url
            assertThat(token).matches("[A-Za-z0-9_-]{43}");

            HttpResponse<String> none = send(server, "GET", TOPOLOGIES, null, null);
            assertThat(none.statusCode()).isEqualTo(401);
            JsonNode status = JSON.readTree(none.body());
            assertThat(status.path("kind").asText()).isEqualTo("Status");
            assertThat(status.path("reason").asText()).isEqualTo("Unauthorized");
            assertThat(status.path("code").asInt()).isEqualTo(401);

            assertThat(send(server, "GET", TOPOLOGIES, "Bearer " + token + "x", null).statusCode()).isEqualTo(401);
            assertThat(send(server, "GET", TOPOLOGIES, "Basic " + token, null).statusCode()).isEqualTo(401);
            assertThat(send(server, "POST", TOPOLOGIES, null, topology("sneaky", "{\"topology\":{\"type\":\"minimal\"}}")).statusCode())
                    .isEqualTo(401);

            assertThat(send(server, "GET", TOPOLOGIES, "Bearer " + token, null).statusCode()).isEqualTo(200);
            // the unauthenticated create stored nothing
            assertThat(server.client().resources(VirtualTopology.class).inNamespace("default").list().getItems()).isEmpty();
            // and each start has its own token
            try (EmbeddedApiServer other = EmbeddedApiServer.start()) {
                assertThat(other.config().getOauthToken()).isNotEqualTo(token);
            }
        }
    }

    @Test
    void theKubeconfigCarriesTheToken() throws Exception {
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            var config = io.fabric8.kubernetes.client.Config.fromKubeconfig(null, server.kubeconfig("lab"), null);
            assertThat(server.kubeconfig("lab")).contains("token: \"" + server.config().getOauthToken() + "\"");
            assertThat(config.getNamespace()).isEqualTo("lab");
            try (var client = io.nfvlab.runtime.Clients.client(config)) {
                assertThat(client.resources(VirtualTopology.class).inNamespace("lab").list().getItems()).isEmpty();
            }
        }
    }

    @Test
    void anObjectOverEtcdsLimitIsRefusedAsARealServerRefusesIt() throws Exception {
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            String auth = "Bearer " + server.config().getOauthToken();
            // just under 1.5 MiB of stored JSON: stored (the server adds uid, timestamps, generation: leave room)
            HttpResponse<String> under = send(server, "POST", TOPOLOGIES, auth, sized("under", ApiServerDispatcher.MAX_STORED_BYTES - 400));
            assertThat(under.statusCode()).as(under.body()).isEqualTo(201);
            assertThat(under.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                    .isBetween(ApiServerDispatcher.MAX_STORED_BYTES - 400, ApiServerDispatcher.MAX_STORED_BYTES);

            HttpResponse<String> over = send(server, "POST", TOPOLOGIES, auth, sized("over", ApiServerDispatcher.MAX_STORED_BYTES + 1));
            assertThat(over.statusCode()).isEqualTo(500);
            JsonNode status = JSON.readTree(over.body());
            assertThat(status.path("message").asText()).isEqualTo("etcdserver: request is too large");
            assertThat(status.has("reason")).as("the real server passes etcd's error on without a reason").isFalse();

            // past 2 MiB the apiserver's gRPC client to etcd refuses first
            HttpResponse<String> far = send(server, "POST", TOPOLOGIES, auth, sized("far", 2_600_000));
            assertThat(far.statusCode()).isEqualTo(500);
            assertThat(JSON.readTree(far.body()).path("message").asText())
                    .startsWith("rpc error: code = ResourceExhausted desc = trying to send message larger than max (")
                    .endsWith(" vs. 2097152)");

            // an update that grows a stored object past the limit is refused the same way and changes nothing
            var client = server.client();
            VirtualTopology stored = client.resources(VirtualTopology.class).inNamespace("default").withName("under").get();
            stored.getSpec().getPlacement().getNodeSelector().put("more", "x".repeat(1000));
            HttpResponse<String> grown = send(server, "PUT", TOPOLOGIES + "/under", auth,
                    client.getKubernetesSerialization().asJson(stored));
            assertThat(grown.statusCode()).isEqualTo(500);
            assertThat(client.resources(VirtualTopology.class).inNamespace("default").withName("under").get()
                    .getSpec().getPlacement().getNodeSelector()).doesNotContainKey("more");
            assertThat(client.resources(VirtualTopology.class).inNamespace("default").withName("over").get()).isNull();
        }
    }

    @Test
    void aRequestOver3MiBIsRefusedWith413() throws Exception {
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            String auth = "Bearer " + server.config().getOauthToken();
            HttpResponse<String> over = send(server, "POST", TOPOLOGIES, auth, sized("big", ApiServerDispatcher.MAX_REQUEST_BYTES + 1));
            assertThat(over.statusCode()).isEqualTo(413);
            JsonNode status = JSON.readTree(over.body());
            assertThat(status.path("reason").asText()).isEqualTo("RequestEntityTooLarge");
            assertThat(status.path("message").asText()).isEqualTo("Request entity too large: limit is 3145728");
            // just under the request limit the request is read, and the object meets etcd's limit instead
            HttpResponse<String> under = send(server, "POST", TOPOLOGIES, auth, sized("big", ApiServerDispatcher.MAX_REQUEST_BYTES - 10));
            assertThat(under.statusCode()).isEqualTo(500);
        }
    }

    @Test
    void invalidCustomResourcesAreRefusedWith422NamingTheField() {
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            var client = server.client();
            VirtualTopology vt = new VirtualTopology();
            vt.setMetadata(new ObjectMetaBuilder().withName("x").withNamespace("default").build());
            vt.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("linear").k(0).build()).build());
            assertThatThrownBy(() -> client.resource(vt).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
                        assertThat(e.getStatus().getMessage()).isEqualTo("VirtualTopology.nfvlab.io \"x\" is invalid: "
                                + "spec.topology.k: Invalid value: 0: spec.topology.k in body should be greater than or equal to 1");
                        assertThat(e.getStatus().getDetails().getKind()).isEqualTo("VirtualTopology");
                        assertThat(e.getStatus().getDetails().getGroup()).isEqualTo("nfvlab.io");
                        assertThat(e.getStatus().getDetails().getCauses()).singleElement().satisfies(c -> {
                            assertThat(c.getField()).isEqualTo("spec.topology.k");
                            assertThat(c.getReason()).isEqualTo("FieldValueInvalid");
                        });
                    });
            assertThat(client.resources(VirtualTopology.class).inNamespace("default").withName("x").get()).isNull();

            // a CEL rule, named by the field it sits on
            assertThatThrownBy(() -> client.resource(client.getKubernetesSerialization().unmarshal(
                    topology("cel", "{\"topology\":{\"type\":\"minimal\"},\"linkDefaults\":{\"bandwidthMbps\":-5}}"),
                    VirtualTopology.class)).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getStatus().getMessage()).startsWith("VirtualTopology.nfvlab.io \"cel\" is invalid: "
                                + "spec.linkDefaults: Invalid value: \"object\": ").contains("bandwidthMbps must be greater than 0");
                    });

            vt.getSpec().getTopology().setK(2);
            VirtualTopology created = client.resource(vt).create();
            assertThat(created.getSpec().getIpBase()).as("the schema's default, applied as a real server does").isEqualTo("10.0.0.0/8");

            // an update and a JSON patch are validated as a create is, and refused ones change nothing
            created.getSpec().getTopology().setType("no such topology");
            assertThatThrownBy(() -> client.resource(created).update())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getStatus().getDetails().getCauses()).anySatisfy(c -> assertThat(c.getField()).isEqualTo("spec.topology.type"));
                    });
            assertThatThrownBy(() -> client.resources(VirtualTopology.class).inNamespace("default").withName("x")
                    .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"/spec/topology/k\",\"value\":-1}]"))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
            assertThat(client.resources(VirtualTopology.class).inNamespace("default").withName("x").get().getSpec().getTopology())
                    .satisfies(t -> {
                        assertThat(t.getType()).isEqualTo("linear");
                        assertThat(t.getK()).isEqualTo(2);
                    });
        }
    }

    @Test
    void theStatusSubresourceIsValidatedAgainstTheStatusSchema() throws Exception {
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            String auth = "Bearer " + server.config().getOauthToken();
            var client = server.client();
            VirtualTopology vt = new VirtualTopology();
            vt.setMetadata(new ObjectMetaBuilder().withName("s").withNamespace("default").build());
            vt.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("minimal").build()).build());
            client.resource(vt).create();
            HttpResponse<String> bad = send(server, "PATCH", TOPOLOGIES + "/s/status", auth,
                    "{\"status\":{\"conditions\":\"not a list\"}}", "application/merge-patch+json");
            assertThat(bad.statusCode()).as(bad.body()).isEqualTo(422);
            assertThat(JSON.readTree(bad.body()).path("details").path("causes").get(0).path("field").asText()).isEqualTo("status.conditions");
        }
    }

    @Test
    void unknownFieldsArePrunedWithAWarningAsARealServerDoesByDefault() throws Exception {
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            String auth = "Bearer " + server.config().getOauthToken();
            HttpResponse<String> created = send(server, "POST", TOPOLOGIES, auth,
                    topology("u", "{\"topology\":{\"type\":\"minimal\"},\"colour\":\"blue\"}"));
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(created.headers().allValues("Warning")).containsExactly("299 - \"unknown field \\\"spec.colour\\\"\"");
            assertThat(JSON.readTree(created.body()).path("spec").has("colour")).isFalse();
            assertThat(JSON.readTree(send(server, "GET", TOPOLOGIES + "/u", auth, null).body()).path("spec").has("colour")).isFalse();
        }
    }

    private static String topology(String name, String spec) {
        return "{\"apiVersion\":\"nfvlab.io/v1alpha1\",\"kind\":\"VirtualTopology\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"default\"},\"spec\":" + spec + "}";
    }

    /** A valid topology whose JSON is {@code bytes} long: the padding sits in a node selector value. */
    private static String sized(String name, int bytes) {
        String empty = topology(name, "{\"topology\":{\"type\":\"minimal\"},\"placement\":{\"nodeSelector\":{\"pad\":\"\"}}}");
        return topology(name, "{\"topology\":{\"type\":\"minimal\"},\"placement\":{\"nodeSelector\":{\"pad\":\""
                + "x".repeat(bytes - empty.length()) + "\"}}}");
    }

    private static HttpResponse<String> send(EmbeddedApiServer server, String method, String path, String authorization, String body)
            throws IOException, InterruptedException {
        return send(server, method, path, authorization, body, "application/json");
    }

    private static HttpResponse<String> send(EmbeddedApiServer server, String method, String path, String authorization, String body,
            String contentType) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.config().getMasterUrl().replaceAll("/+$", "") + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theCrdsAreStoredAndServedAsIfTheyHadBeenPosted() {
        try (EmbeddedApiServer server = EmbeddedApiServer.start(); var client = server.newClient()) {
            var crds = client.apiextensions().v1().customResourceDefinitions().list().getItems();
            assertThat(crds).extracting(c -> c.getMetadata().getName()).containsExactlyInAnyOrder(
                    "virtualtopologies.nfvlab.io", "dpdkbridges.nfvlab.io", "traffictests.nfvlab.io", "networknodestates.nfvlab.io", "linkprofiles.nfvlab.io");
            assertThat(crds).allSatisfy(c -> {
                assertThat(c.getMetadata().getUid()).isNotBlank();
                assertThat(c.getMetadata().getCreationTimestamp()).isNotBlank();
                assertThat(Long.parseLong(c.getMetadata().getResourceVersion())).isPositive();
                assertThat(c.getSpec().getVersions()).isNotEmpty();
            });
            var resources = client.getApiResources("nfvlab.io/v1alpha1").getResources();
            assertThat(resources).extracting(r -> r.getName() + ":" + r.getNamespaced()).contains(
                    "virtualtopologies:true", "networknodestates:false", "linkprofiles:false");
            assertThatThrownBy(server::installCrds).isInstanceOf(IllegalStateException.class).hasMessageContaining("installed already");
        }
    }
}
