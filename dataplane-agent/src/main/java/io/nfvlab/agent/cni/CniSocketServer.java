package io.nfvlab.agent.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The agent's side of the CNI plugin: a unix socket (root only) on which the plugin, after ADD or DEL, asks the agent
 * to publish or withdraw the pod's {@code userspace/configuration-data} annotation; the plugin itself holds no
 * Kubernetes credentials. One JSON request per connection, one JSON line back:
 * <pre>
 * {"op":"publish","podNamespace":"ns","podName":"vnf-1","network":"dpdk-net","ifName":"net1","data":{…}}
 * {"op":"withdraw","podNamespace":"ns","podName":"vnf-1","network":"dpdk-net","ifName":"net1"}
 * → {"ok":true} | {"ok":false,"error":"…"}
 * </pre>
 */
public final class CniSocketServer implements AutoCloseable {
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/nfvlab/cni.sock");
    private static final Logger LOG = LoggerFactory.getLogger(CniSocketServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern K8S_NAME = Pattern.compile("^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$");
    private static final Pattern NETWORK = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,252}$");
    private static final Pattern IFNAME = Pattern.compile("^[^/:\\s]{1,15}$");
    private static final int MAX_REQUEST = 64 * 1024;

    private final Path path;
    private final PodAnnotations annotations;
    private final ServerSocketChannel server;
    private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "cni-socket");
        t.setDaemon(true);
        return t;
    });
    private final Thread acceptor;
    private volatile boolean closed;

    private CniSocketServer(Path path, PodAnnotations annotations) throws IOException {
        this.path = path;
        this.annotations = annotations;
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        acceptor = new Thread(this::acceptLoop, "cni-socket-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static CniSocketServer start(Path path, PodAnnotations annotations) {
        try {
            CniSocketServer s = new CniSocketServer(path, annotations);
            LOG.info("CNI socket listening on {}", path);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on CNI socket " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel ch = server.accept();
                workers.submit(() -> serve(ch));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("CNI socket accept failed: {}", e.toString());
                }
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            ByteBuffer buf = ByteBuffer.allocate(MAX_REQUEST);
            while (buf.hasRemaining()) {
                int n = ch.read(buf);
                if (n < 0 || (buf.position() > 0 && buf.get(buf.position() - 1) == '\n')) {
                    break;
                }
            }
            String request = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            ObjectNode reply = JSON.createObjectNode();
            try {
                handle(request);
                reply.put("ok", true);
            } catch (IllegalArgumentException e) {
                reply.put("ok", false).put("error", e.getMessage());
            } catch (RuntimeException e) {
                reply.put("ok", false).put("error", "annotating the pod failed: " + e.getMessage());
            }
            ch.write(ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            LOG.debug("CNI socket connection failed: {}", e.toString());
        }
    }

    /** Validates and performs one request; IllegalArgumentException names what is wrong. */
    void handle(String request) {
        JsonNode req;
        try {
            req = JSON.readTree(request);
        } catch (IOException e) {
            throw new IllegalArgumentException("request is not JSON");
        }
        if (req == null || !req.isObject()) {
            throw new IllegalArgumentException("request is not a JSON object");
        }
        String op = req.path("op").asText();
        String ns = field(req, "podNamespace", K8S_NAME);
        String pod = field(req, "podName", K8S_NAME);
        String network = field(req, "network", NETWORK);
        String ifName = field(req, "ifName", IFNAME);
        switch (op) {
            case "publish" -> {
                JsonNode data = req.get("data");
                if (data == null || !data.isObject()) {
                    throw new IllegalArgumentException("data must be an object");
                }
                if (!annotations.put(ns, pod, network, ifName, data)) {
                    throw new IllegalArgumentException("pod " + ns + "/" + pod + " not found");
                }
            }
            case "withdraw" -> annotations.put(ns, pod, network, ifName, null);
            default -> throw new IllegalArgumentException("op must be publish or withdraw");
        }
    }

    private static String field(JsonNode req, String name, Pattern pattern) {
        JsonNode v = req.get(name);
        if (v == null || !v.isTextual() || !pattern.matcher(v.asText()).matches()) {
            throw new IllegalArgumentException(name + " is missing or invalid");
        }
        return v.asText();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        workers.shutdownNow();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // left for the next start, which replaces it
        }
    }
}
