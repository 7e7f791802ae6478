package io.nfvlab.apiserver;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.nfvlab.api.common.ModelJson;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.nfvlab.runtime.Clients;
import io.netty.channel.EventLoopGroup;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An in-process Kubernetes API server (fabric8's mock server in CRUD mode) with the nfvlab CRDs installed, listening
 * on loopback. It stands in for Kubernetes where no real API server can run: in tests and in {@code nfvlab run}.
 * Like a real one it authenticates every request, enforces the request and object size limits and validates custom
 * resources against their CRDs ({@link ApiServerDispatcher}), so that nothing works here that a cluster would refuse.
 * It has no garbage collector, no RBAC and no server-side apply; controllers running against it must use plain
 * patches.
 */
public final class EmbeddedApiServer implements AutoCloseable {
    /**
     * The nfvlab CRDs, as the crds module's build writes them: JSON copies of the YAML of the chart (the same
     * documents; {@code CrdJsonCopiesTest} holds them to it), read here because parsing the YAML was most of the
     * install's time.
     */
    public static final List<String> CRD_RESOURCES = List.of(
            "META-INF/fabric8/virtualtopologies.nfvlab.io-v1.json",
            "META-INF/fabric8/dpdkbridges.nfvlab.io-v1.json",
            "META-INF/fabric8/traffictests.nfvlab.io-v1.json",
            "META-INF/fabric8/networknodestates.nfvlab.io-v1.json",
            "META-INF/fabric8/linkprofiles.nfvlab.io-v1.json");

    /**
     * The mock web server's java.util.logging loggers, quietened when a listener opens: an in-process server (every
     * `nfvlab run` without --keep) has no listener to log, and starting java.util.logging cost ≈17 ms of CPU at each run.
     */
    private static final class MockLoggers {
        // held statically: java.util.logging forgets loggers nobody references, and with them their level
        private static final Logger SERVER = Logger.getLogger(MockWebServer.class.getName());
        private static final Logger SERVER_OKHTTP = Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

        static void quieten() {
            SERVER.setLevel(Level.WARNING);
            SERVER_OKHTTP.setLevel(Level.WARNING);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The HTTP listener, or null while none is asked for ({@link #inProcess()}) or the server is stopped. */
    private KubernetesMockServer server;
    /** The vert.x instance under {@link #server}, whose threads {@link #stop()} waits for; null when not found. */
    private Vertx vertx;
    /** The store and the admission rules: kept across {@link #stop()} and {@link #restart()}, as etcd outlives a restart. */
    private final ApiServerDispatcher dispatcher;
    /**
     * The one credential this server accepts, new at every start: 256 random bits. `nfvlab run` runs as root and its
     * agent acts on what the API holds, so a local user who could write to it would command root.
     */
    private final String token;
    private final KubernetesClient adminClient;
    /**
     * One for every client of this server, and the process's other users of model JSON ({@link ModelJson}): see
     * {@link Clients#client(Config, KubernetesSerialization)}. Without a search
     * of the class loaders: the default looks up every model class by ServiceLoader when it first reads a watch event,
     * which opens every jar on the class path (≈40 of them, 20 ms on the watch thread at each `nfvlab run`); a client
     * registers the classes it is given ({@code client.resources(VirtualTopology.class)}) and reads typed responses.
     */
    private final KubernetesSerialization serialization = ModelJson.serialization();
    /** How {@link #newClient()}'s clients reach the server when {@link #inProcessClients}. */
    private final InProcessTransport transport;
    private final boolean inProcessClients;
    /** The HTTP listener's port; 0 until it first listens. */
    private int port;
    /** Whether the HTTP listener was asked for: {@link #restart()} opens it again. */
    private boolean listening;

    private EmbeddedApiServer(Served served, ApiServerDispatcher dispatcher, String token) {
        this.dispatcher = dispatcher;
        this.token = token;
        this.transport = new InProcessTransport(dispatcher);
        this.inProcessClients = served == null;
        if (served != null) {
            listenWith(served);
        }
        this.adminClient = newClient();
    }

    private void listenWith(Served served) {
        this.server = served.server();
        this.vertx = served.vertx();
        this.port = server.getPort();
        this.listening = true;
    }

    /** Starts a server on a free loopback port and installs the nfvlab CRDs. */
    public static EmbeddedApiServer start() {
        return start(0);
    }

    public static EmbeddedApiServer start(int port) {
        EmbeddedApiServer embedded = listen(port);
        embedded.installCrds();
        return embedded;
    }

    /**
     * Starts a server on a free loopback port without the CRDs, for a caller that times the two steps apart; it must
     * call {@link #installCrds()} before any client opens a watch on an nfvlab resource (a watch opened before its
     * CRD misses events) or writes one (it would be stored unvalidated).
     */
    public static EmbeddedApiServer listen() {
        return listen(0);
    }

    private static EmbeddedApiServer listen(int port) {
        MockLoggers.quieten();
        String token = newToken();
        ApiServerDispatcher dispatcher = new ApiServerDispatcher(token);
        return new EmbeddedApiServer(serve(dispatcher, port), dispatcher, token);
    }

    /**
     * A server without the CRDs whose clients from {@link #newClient()} reach it in-process ({@link InProcessTransport}):
     * no port is opened until {@link #serveOnLoopback()} is called, for a client in another process. The caller
     * installs the CRDs as after {@link #listen()}.
     */
    public static EmbeddedApiServer inProcess() {
        String token = newToken();
        return new EmbeddedApiServer(null, new ApiServerDispatcher(token), token);
    }

    private static String newToken() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /**
     * Opens the HTTP listener on a free loopback port, if it is not open, for clients in other processes (kubectl,
     * `nfvlab --kubeconfig`); {@link #kubeconfig} and {@link #config()} name it from then on.
     */
    public synchronized void serveOnLoopback() {
        if (!listening) {
            MockLoggers.quieten();
            listenWith(serve(dispatcher, 0));
        }
    }

    private record Served(KubernetesMockServer server, Vertx vertx) {
    }

    /**
     * 127.0.0.1, made from its bytes. {@link InetAddress#getLoopbackAddress()} asks the kernel which interfaces hold
     * ::1 (an ioctl that takes the rtnl lock), and right after a run the kernel holds that lock for seconds while it
     * unregisters the devices of the namespaces deleted (measured: 1.4 s after linear,100, added to the next run's
     * start). An address made from bytes asks nothing.
     */
    private static final InetAddress LOOPBACK = loopback();

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[]{127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);   // only for an address of the wrong length
        }
    }

    private static Served serve(ApiServerDispatcher dispatcher, int port) {
        MockWebServer web = new MockWebServer();
        KubernetesMockServer server = new KubernetesMockServer(new Context(ModelJson.mapper()),
                web, new HashMap<>(), new OneRequestAtATime(dispatcher), false);
        server.init(LOOPBACK, port);
        return new Served(server, vertxOf(web));
    }

    /**
     * The listener's requests, each under the dispatcher's monitor as the in-process transport's are: kubectl at the
     * prompt of `nfvlab run --keep` talks HTTP while the run's own operator and agent talk in-process, and the mock's
     * dispatcher is not safe for two requests at once.
     */
    private static final class OneRequestAtATime extends Dispatcher {
        private final ApiServerDispatcher dispatcher;

        OneRequestAtATime(ApiServerDispatcher dispatcher) {
            this.dispatcher = dispatcher;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            synchronized (dispatcher) {
                return dispatcher.dispatch(request);
            }
        }

        @Override
        public void shutdown() {
            dispatcher.shutdown();
        }
    }

    /** The mock server keeps its vert.x instance private; without it {@link #stop()} just does not wait. */
    private static Vertx vertxOf(MockWebServer web) {
        try {
            Field field = MockWebServer.class.getDeclaredField("vertx");
            field.setAccessible(true);
            return (Vertx) field.get(web);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Waits until the event loop threads of {@code vertx} have ended. The mock's shutdown closes vert.x, but its
     * event loops finish tens of milliseconds later, in {@code epoll_wait} until then; a JVM that exits while a thread
     * is blocked in native code waits 300 ms for it first (HotSpot's {@code VM_Exit}), which was most of the time
     * `nfvlab run` spent after its last line (bench/startup/README.md).
     */
    private static void awaitThreadsEnded(Vertx vertx) {
        if (!(vertx instanceof VertxInternal internal)) {
            return;
        }
        for (EventLoopGroup group : List.of(internal.getAcceptorEventLoopGroup(), internal.getEventLoopGroup())) {
            if (!group.terminationFuture().awaitUninterruptibly(THREADS_END_WAIT.toMillis())) {
                return;
            }
        }
    }

    /** Long enough for the event loops to end once closed; a stop never hangs on them. */
    private static final Duration THREADS_END_WAIT = Duration.ofSeconds(2);

    /**
     * Stops answering, as an API server that goes down: open watches and requests are cut, new connections refused.
     * What it stores stays, as it would in etcd; {@link #restart()} serves it again on the same port.
     */
    public synchronized void stop() {
        transport.stop();
        if (server != null) {
            server.destroy();
            server = null;
            awaitThreadsEnded(vertx);
            vertx = null;
        }
    }

    /** Serves the stored objects again, on the port and with the token of before {@link #stop()}. */
    public synchronized void restart() {
        transport.start();
        if (listening && server == null) {
            Served served = serve(dispatcher, port);
            server = served.server();
            vertx = served.vertx();
        }
    }

    /**
     * A new client of this server; each component (operator, agent, CLI) gets its own, as in a cluster. Over HTTP, or
     * in-process for a server made by {@link #inProcess()}.
     */
    public KubernetesClient newClient() {
        return inProcessClients ? Clients.client(config(), serialization, transport.clientFactory())
                : Clients.client(config(), serialization);
    }

    /** fabric8's factory of clients on this server's in-process transport (for a client with other settings). */
    HttpClient.Factory inProcessClientFactory() {
        return transport.clientFactory();
    }

    /** Watches open on the in-process transport now. */
    int inProcessWatches() {
        return transport.openWebSockets();
    }

    /**
     * The configuration of a client of this server. Until the HTTP listener is open its address is a placeholder
     * that only the in-process transport is given: nothing connects to it.
     */
    public Config config() {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl("http://" + LOOPBACK.getHostAddress() + ":" + port)
                .withNamespace("default")
                .withOauthToken(token)
                .withTrustCerts(true)
                .withRequestTimeout(30_000)
                .withConnectionTimeout(10_000)
                .build();
    }

    /** The HTTP listener's port, or 0 while it has not been opened. */
    public int port() {
        return port;
    }

    /**
     * A kubeconfig for this server, credential included, with {@code namespace} as the default: for another process
     * (kubectl, `nfvlab --kubeconfig`, an agent). Whoever writes it to a file must make the file readable by its owner
     * only.
     */
    public String kubeconfig(String namespace) {
        serveOnLoopback();
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: nfvlab-run
                  cluster: {server: "%s"}
                contexts:
                - name: nfvlab-run
                  context: {cluster: nfvlab-run, user: nfvlab-run, namespace: %s}
                current-context: nfvlab-run
                users:
                - name: nfvlab-run
                  user: {token: "%s"}
                """.formatted(config().getMasterUrl().replaceAll("/+$", ""), namespace, token);
    }

    public KubernetesClient client() {
        return adminClient;
    }

    /**
     * Installs the nfvlab CRDs (done by {@link #start}; after {@link #listen}, the caller's to call). They are stored
     * in-process rather than POSTed: the client would read each one into fabric8's typed CRD model and write it out
     * again, which costs more than the rest of the server's start (see ApiServerDispatcher#installCrd).
     */
    public void installCrds() {
        ClassLoader loader = EmbeddedApiServer.class.getClassLoader();
        for (String resource : CRD_RESOURCES) {
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("CRD " + resource + " is not on the classpath (build the crds module)");
                }
                dispatcher.installCrd(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() {
        adminClient.close();
        stop();
    }
}
