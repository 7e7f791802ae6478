package io.nfvlab.agent.cni;

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
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The agent's CNI socket (root only): the {@code nfvlab-cni} executable forwards each invocation (its CNI_*
 * variables and stdin, framed as {@link CniWire} says) and prints the reply's stdout and stderr and exits with its
 * code, so the plugin runs in this long-lived JVM instead of starting one per call. Invocations run in parallel;
 * the handler serializes what must not overlap.
 *
 * <p>Root only, twice over: the socket sits alone in a directory of mode 0700 (the socket itself 0600), and every
 * connection's peer credentials (SO_PEERCRED, taken by the kernel at connect) must be uid 0, so that a socket made
 * reachable by a mount or a changed mode still runs nothing for anyone else. A refused peer gets a CNI error and
 * nothing of its request is parsed or run.
 */
public final class CniSocketServer implements AutoCloseable {
    /** In a directory of its own: the server makes it 0700, and /var/run/nfvlab holds sockets DPDK apps must reach. */
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/nfvlab/agent/cni.sock");
    private static final Logger LOG = LoggerFactory.getLogger(CniSocketServer.class);
    /** A request arrives in one go from the executable; a client that stalls longer is dropped. */
    static final Duration IO_TIMEOUT = Duration.ofSeconds(10);
    private static final int WORKERS = 16;
    private static final int MAX_STDERR = 64 * 1024;
    /** uid 0: user principals compare by uid ("0" resolves to it even without /etc/passwd). */
    private static final UserPrincipal ROOT = root();

    private static UserPrincipal root() {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("0");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve uid 0", e);
        }
    }

    /** Runs one invocation: its environment and stdin in, what to print and the exit code out. */
    @FunctionalInterface
    public interface Handler {
        CniPlugin.Outcome handle(Map<String, String> env, String stdin);
    }

    private final Path path;
    private final Handler handler;
    private final Duration ioTimeout;
    private final ServerSocketChannel server;
    // invocations wait on OVS and IPAM processes, not on the CPU: more threads than cores
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(256), daemon("cni-socket"));
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(daemon("cni-socket-deadline"));
    private final Thread acceptor;
    private volatile boolean closed;

    private CniSocketServer(Path path, Handler handler, Duration ioTimeout) throws IOException {
        this.path = path;
        this.handler = handler;
        this.ioTimeout = ioTimeout;
        workers.allowCoreThreadTimeOut(true);
        privateDirectory(path.toAbsolutePath().getParent());
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        acceptor = new Thread(this::acceptLoop, "cni-socket-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static CniSocketServer start(Path path, Handler handler) {
        return start(path, handler, IO_TIMEOUT);
    }

    static CniSocketServer start(Path path, Handler handler, Duration ioTimeout) {
        try {
            CniSocketServer s = new CniSocketServer(path, handler, ioTimeout);
            LOG.info("CNI socket listening on {}", path);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on CNI socket " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** Creates the socket's directory, or takes an existing one that is a real directory of ours, and makes it 0700. */
    private static void privateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory (a symbolic link?)");
        }
        UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
        if (!owner.equals(ROOT) && !owner.equals(self())) {
            throw new IOException(dir + " belongs to " + owner.getName() + ", not to the agent");
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /** The user this JVM runs as: the owner of a file it creates. */
    private static UserPrincipal self() throws IOException {
        Path probe = Files.createTempFile("nfvlab-cni-owner", "");
        try {
            return Files.getOwner(probe);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** Why {@code ch}'s peer may not use the socket, or null for root (uid 0). */
    static String refusal(SocketChannel ch) throws IOException {
        UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
        if (peer != null && ROOT.equals(peer.user())) {
            return null;
        }
        return "permission denied: the nfvlab agent runs CNI invocations for root (uid 0) only, not for "
                + (peer == null ? "an unknown peer" : "user " + peer.user().getName());
    }

    /**
     * Whether a live agent already serves {@code path} (a connection succeeds). Starting a server there would take the
     * socket over from it (the constructor replaces the file), and its {@link #close()} would remove that agent's file.
     */
    public static boolean servedAt(Path path) {
        if (!Files.exists(path)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return true;
        } catch (IOException e) {
            return false;   // a stale file of an agent that is gone
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("CNI socket accept failed: {}", e.toString());
                    pause(); // out of descriptors, say: do not spin
                }
                continue;
            }
            try {
                workers.execute(() -> serve(ch));
            } catch (RejectedExecutionException e) {
                // the executable reports a connection closed without a reply as "try again later"
                LOG.warn("CNI socket: {} invocations queued, refusing one", workers.getQueue().size());
                closeQuietly(ch);
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            String refused = refusal(ch);
            ByteBuffer request = readRequest(ch);
            if (refused != null) {
                // read (bounded, as any request) only so that the reply is not lost to a reset; never looked at
                LOG.warn("CNI socket: {}", refused);
                write(ch, error(CniException.IO_FAILURE, refused));
                return;
            }
            if (request == null) {
                return;
            }
            byte[] reply;
            try {
                CniWire.Request r = CniWire.parseRequest(request);
                reply = invoke(r.env(), new String(r.stdin(), StandardCharsets.UTF_8));
            } catch (CniWire.MalformedFrame e) {
                reply = error(CniException.DECODE_FAILURE, "malformed request from nfvlab-cni: " + e.getMessage());
            }
            write(ch, reply);
        } catch (IOException e) {
            // the executable went away (killed, timed out): nothing to tell it
            LOG.debug("CNI socket connection failed: {}", e.toString());
        }
    }

    /** The request body, or null when the client went away or stalled before sending all of it (nothing runs then). */
    private ByteBuffer readRequest(SocketChannel ch) throws IOException {
        ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(ch), ioTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            ByteBuffer header = ByteBuffer.allocate(CniWire.HEADER_BYTES);
            if (!readFully(ch, header)) {
                return null;
            }
            header.flip();
            if (header.getInt() != CniWire.REQUEST_MAGIC) {
                write(ch, error(CniException.DECODE_FAILURE, "not an nfvlab-cni request (unknown framing)"));
                return null;
            }
            int length = header.getInt();
            if (length < 0 || length > CniWire.MAX_REQUEST_BODY) {
                write(ch, error(CniException.DECODE_FAILURE, "request of " + Integer.toUnsignedString(length)
                        + " bytes is larger than " + CniWire.MAX_REQUEST_BODY));
                return null;
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            if (!readFully(ch, body)) {
                LOG.debug("CNI socket: request cut short after {} of {} bytes", body.position(), length);
                return null;
            }
            return body.flip();
        } finally {
            deadline.cancel(false);
        }
    }

    private byte[] invoke(Map<String, String> env, String stdin) {
        long start = System.nanoTime();
        CniPlugin.Outcome outcome;
        try {
            outcome = handler.handle(env, stdin);
        } catch (RuntimeException e) {
            LOG.warn("CNI {} failed", env.get("CNI_COMMAND"), e);
            outcome = new CniPlugin.Outcome(1, new CniException(CniException.IO_FAILURE, "internal error: " + e)
                    .toJson("1.1.0"), "");
        }
        LOG.debug("CNI {} {} {}: exit {} in {} ms", env.get("CNI_COMMAND"), env.get("CNI_CONTAINERID"),
                env.get("CNI_IFNAME"), outcome.exitCode(), (System.nanoTime() - start) / 1_000_000);
        String stderr = outcome.stderr().length() > MAX_STDERR ? outcome.stderr().substring(0, MAX_STDERR) : outcome.stderr();
        return CniWire.reply(outcome.exitCode(), outcome.printed().getBytes(StandardCharsets.UTF_8),
                stderr.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] error(int code, String msg) {
        return CniWire.reply(1, (new CniException(code, msg).toJson("1.1.0") + "\n").getBytes(StandardCharsets.UTF_8),
                new byte[0]);
    }

    private void write(SocketChannel ch, byte[] reply) throws IOException {
        // a client that does not read its reply must not hold a worker
        ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(ch), ioTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            ByteBuffer b = ByteBuffer.wrap(reply);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } finally {
            deadline.cancel(false);
        }
    }

    private static boolean readFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // closing anyway
        }
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
        deadlines.shutdownNow();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // left for the next start, which replaces it
        }
    }
}
