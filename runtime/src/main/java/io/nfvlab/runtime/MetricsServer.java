package io.nfvlab.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * /metrics (Prometheus text), /healthz (the process answers) and /readyz on the JDK's HTTP server; the operator and
 * the agent each serve one.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /** Listens on {@code port} (0 or negative: a free port) on every address. */
    public static MetricsServer start(int port, Supplier<String> scrape, BooleanSupplier ready) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(Math.max(port, 0)), 16);
            server.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", scrape.get()));
            server.createContext("/healthz", ex -> reply(ex, 200, "text/plain", "ok\n"));
            server.createContext("/readyz", ex -> {
                boolean ok = ready.getAsBoolean();
                reply(ex, ok ? 200 : 503, "text/plain", ok ? "ok\n" : "not ready\n");
            });
            server.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "nfvlab-metrics");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return new MetricsServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for metrics on port " + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
