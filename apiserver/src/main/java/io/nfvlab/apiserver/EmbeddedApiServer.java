package io.nfvlab.apiserver;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.nfvlab.runtime.Clients;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An in-process Kubernetes API server (fabric8's mock server in CRUD mode) with the nfvlab CRDs installed, listening
 * on loopback. It stands in for Kubernetes where no real API server can run: in tests and in {@code nfvlab run}.
 * It has no garbage collector and no server-side apply; controllers running against it must use plain patches.
 */
public final class EmbeddedApiServer implements AutoCloseable {
    public static final List<String> CRD_RESOURCES = List.of(
            "META-INF/fabric8/virtualtopologies.nfvlab.io-v1.yml",
            "META-INF/fabric8/dpdkbridges.nfvlab.io-v1.yml",
            "META-INF/fabric8/traffictests.nfvlab.io-v1.yml",
            "META-INF/fabric8/networknodestates.nfvlab.io-v1.yml");

    // held statically: java.util.logging forgets loggers nobody references, and with them their level
    private static final Logger MOCK_LOGGER = Logger.getLogger(MockWebServer.class.getName());
    private static final Logger MOCK_LOGGER_OKHTTP = Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

    private final KubernetesMockServer server;
    private final KubernetesClient adminClient;

    private EmbeddedApiServer(KubernetesMockServer server) {
        this.server = server;
        this.adminClient = newClient();
    }

    /** Starts a server on a free loopback port and installs the nfvlab CRDs. */
    public static EmbeddedApiServer start() {
        return start(0);
    }

    public static EmbeddedApiServer start(int port) {
        MOCK_LOGGER.setLevel(Level.WARNING);
        MOCK_LOGGER_OKHTTP.setLevel(Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
                new MockWebServer(), new HashMap<>(), new PatchFailureAnsweringDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), port);
        EmbeddedApiServer embedded = new EmbeddedApiServer(server);
        embedded.installCrds();
        return embedded;
    }

    /** A new client of this server; each component (operator, agent, CLI) gets its own, as in a cluster. */
    public KubernetesClient newClient() {
        return Clients.client(config());
    }

    public Config config() {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort())
                .withNamespace("default")
                .withTrustCerts(true)
                .withRequestTimeout(30_000)
                .withConnectionTimeout(10_000)
                .build();
    }

    public int port() {
        return server.getPort();
    }

    public KubernetesClient client() {
        return adminClient;
    }

    private void installCrds() {
        ClassLoader loader = EmbeddedApiServer.class.getClassLoader();
        for (String resource : CRD_RESOURCES) {
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("CRD " + resource + " is not on the classpath (build the crds module)");
                }
                CustomResourceDefinition crd = adminClient.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
                adminClient.apiextensions().v1().customResourceDefinitions().resource(crd).create();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The mock applies a JSON Patch that does not fit the stored object (a "replace" of a field another writer has
     * removed) by throwing inside its event loop, so the client waits for its whole request timeout. A real API server
     * answers 422 at once; so does this, and the controller retries on a fresh copy.
     */
    private static final class PatchFailureAnsweringDispatcher extends KubernetesCrudDispatcher {
        @Override
        public MockResponse handlePatch(RecordedRequest request) {
            try {
                return super.handlePatch(request);
            } catch (RuntimeException e) {
                String message = String.valueOf(e.getMessage()).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ");
                return new MockResponse().setResponseCode(422).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                        + "\"status\":\"Failure\",\"reason\":\"Invalid\",\"code\":422,\"message\":\"" + message + "\"}");
            }
        }
    }

    @Override
    public void close() {
        adminClient.close();
        server.destroy();
    }
}
