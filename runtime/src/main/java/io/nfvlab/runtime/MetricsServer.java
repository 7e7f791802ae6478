package io.nfvlab.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * /metrics (Prometheus text), /healthz (the process answers) and /readyz; the operator and the agent each serve one.
 * Bounded in every direction (see {@link BoundedHttpServer}): a client that sends half a request is dropped at the
 * read deadline and holds no thread meanwhile; the probes run on an executor of their own, so neither a slow scrape
 * nor scrapes queueing up delay a kubelet's probe; at most a few scrapes wait in line (more get 503).
 */
public final class MetricsServer implements AutoCloseable {
    /** How long a client may take to send its request, and to read its answer, before it is dropped. */
    public static final Duration DEFAULT_READ_DEADLINE = Duration.ofSeconds(3);
    public static final int DEFAULT_MAX_CONNECTIONS = 64;
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.%\\[\\]]*:[0-9a-fA-F:.%\\[\\]]*");

    /**
     * Where and how to listen.
     *
     * @param address        an IP literal to bind to; null or empty: every address (0.0.0.0)
     * @param port           0 or negative: a free port
     * @param readDeadline   how long a client may take to send its request (and to read its answer)
     * @param maxConnections connections open at once (a new one pushes out the oldest still sending its request)
     */
    public record Settings(String address, int port, Duration readDeadline, int maxConnections) {
        public static Settings onPort(int port) {
            return new Settings(null, port, DEFAULT_READ_DEADLINE, DEFAULT_MAX_CONNECTIONS);
        }

        public Settings withAddress(String bindAddress) {
            return new Settings(bindAddress, port, readDeadline, maxConnections);
        }

        public Settings withReadDeadline(Duration deadline) {
            return new Settings(address, port, deadline, maxConnections);
        }

        public Settings withMaxConnections(int max) {
            return new Settings(address, port, readDeadline, max);
        }
    }

    private final BoundedHttpServer server;
    private final ThreadPoolExecutor probes;
    private final ThreadPoolExecutor scrapes;

    private MetricsServer(BoundedHttpServer server, ThreadPoolExecutor probes, ThreadPoolExecutor scrapes) {
        this.server = server;
        this.probes = probes;
        this.scrapes = scrapes;
    }

    /** Listens on {@code port} (0 or negative: a free port) on every address. */
    public static MetricsServer start(int port, Supplier<String> scrape, BooleanSupplier ready) {
        return start(Settings.onPort(port), scrape, ready);
    }

    /**
     * Listens as {@code settings} say.
     *
     * @throws IllegalArgumentException when the address is not an IP literal
     * @throws java.io.UncheckedIOException when the address cannot be bound
     */
    public static MetricsServer start(Settings settings, Supplier<String> scrape, BooleanSupplier ready) {
        InetSocketAddress bind = new InetSocketAddress(bindAddress(settings.address()), Math.max(settings.port(), 0));
        ThreadPoolExecutor probes = executor("nfvlab-probes", 16);
        ThreadPoolExecutor scrapes = executor("nfvlab-metrics", 4);
        try {
            BoundedHttpServer server = BoundedHttpServer.start(bind, Map.of(
                    "/metrics", new BoundedHttpServer.Route(() -> new BoundedHttpServer.Response(200,
                            "text/plain; version=0.0.4; charset=utf-8", scrape.get()), scrapes),
                    "/healthz", new BoundedHttpServer.Route(() -> BoundedHttpServer.Response.text(200, "ok\n"), probes),
                    "/readyz", new BoundedHttpServer.Route(() -> ready.getAsBoolean()
                            ? BoundedHttpServer.Response.text(200, "ok\n")
                            : BoundedHttpServer.Response.text(503, "not ready\n"), probes)),
                    new BoundedHttpServer.Limits(settings.readDeadline(), settings.readDeadline(), settings.maxConnections(), 8192),
                    "nfvlab-http");
            return new MetricsServer(server, probes, scrapes);
        } catch (RuntimeException e) {
            probes.shutdownNow();
            scrapes.shutdownNow();
            throw e;
        }
    }

    /** The address to bind: every address for null or "", else the IP literal (never a name to look up). */
    static InetAddress bindAddress(String address) {
        if (address == null || address.isBlank()) {
            return new InetSocketAddress(0).getAddress();
        }
        String a = address.strip();
        if (!IP_LITERAL.matcher(a).matches()) {
            throw new IllegalArgumentException("metrics address \"" + address + "\" is not an IP address (e.g. 127.0.0.1, ::1, 0.0.0.0)");
        }
        try {
            return InetAddress.getByName(a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("metrics address \"" + address + "\" is not an IP address: " + e.getMessage(), e);
        }
    }

    /** One thread and a short line: more work than that waiting is refused (503) instead of piling up. */
    private static ThreadPoolExecutor executor(String name, int queue) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Scrapes waiting in line behind the one running. */
    int scrapesWaiting() {
        return scrapes.getQueue().size();
    }

    public int port() {
        return server.address().getPort();
    }

    /** The address and port bound. */
    public InetSocketAddress address() {
        return server.address();
    }

    @Override
    public void close() {
        server.close();
        probes.shutdownNow();
        scrapes.shutdownNow();
    }
}
