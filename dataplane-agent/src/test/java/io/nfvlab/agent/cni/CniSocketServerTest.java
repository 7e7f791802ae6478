package io.nfvlab.agent.cni;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent's side of the executable's framing, over a real unix socket, with a recording handler. */
class CniSocketServerTest {
    @TempDir
    Path tmp;
    private CniSocketServer server;
    private final List<Map<String, String>> invocations = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(CniSocketServer.Handler handler, Duration ioTimeout) {
        server = CniSocketServer.start(tmp.resolve("cni.sock"), (env, stdin) -> {
            invocations.add(env);
            return handler.handle(env, stdin);
        }, ioTimeout);
    }

    private void startEcho() {
        start((env, stdin) -> new CniPlugin.Outcome(env.size(), stdin, "stderr of " + env.get("CNI_COMMAND")), Duration.ofSeconds(5));
    }

    private SocketChannel connect() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(server.path()));
        return ch;
    }

    /**
     * One reply frame, read as the executable reads it: header, then as many bytes as it says. (Not to the end: the
     * server closes a connection with unread request bytes in it, which a further read sees as a reset.)
     */
    private static ByteBuffer readReply(SocketChannel ch) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(CniWire.HEADER_BYTES);
        readFully(ch, header);
        ByteBuffer frame = ByteBuffer.allocate(CniWire.HEADER_BYTES + header.getInt(4)).put(header.flip());
        readFully(ch, frame);
        return frame.flip();
    }

    private static void readFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("connection closed after " + b.position() + " bytes");
            }
        }
    }

    private CniWire.Reply exchange(byte[] request) throws Exception {
        try (SocketChannel ch = connect()) {
            ch.write(ByteBuffer.wrap(request));
            return CniWire.parseReply(readReply(ch));
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void anInvocationRoundTripsWithOnlyTheCniVariables() throws Exception {
        startEcho();
        Map<String, String> env = new HashMap<>(Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "c1", "CNI_ARGS", "",
                "PATH", "/evil", "LD_PRELOAD", "/evil.so"));
        CniWire.Reply reply = exchange(CniWire.request(env, "{\"x\":\"ü\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(invocations).containsExactly(Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "c1", "CNI_ARGS", ""));
        assertThat(reply.exitCode()).isEqualTo(3);
        assertThat(text(reply.stdout())).isEqualTo("{\"x\":\"ü\"}\n");
        assertThat(text(reply.stderr())).isEqualTo("stderr of ADD");
    }

    @Test
    void framingErrorsGetACniErrorAndRunNothing() throws Exception {
        startEcho();
        List<byte[]> bad = new ArrayList<>();
        bad.add("{\"op\":\"publish\"}\n".getBytes(StandardCharsets.UTF_8)); // the old JSON-line protocol
        bad.add(ByteBuffer.allocate(8).putInt(CniWire.REQUEST_MAGIC).putInt(CniWire.MAX_REQUEST_BODY + 1).array());
        bad.add(ByteBuffer.allocate(8).putInt(CniWire.REQUEST_MAGIC).putInt(-1).array());
        bad.add(body(b -> b.putInt(1).putInt(3).put("abc".getBytes()).putInt(0)));                  // no '='
        bad.add(body(b -> b.putInt(2).putInt(5).put("A=1=2".getBytes()).putInt(7).put("CNI_X=1".getBytes()).putInt(0).putInt(9)));
        bad.add(body(b -> b.putInt(2).putInt(13).put("CNI_COMMAND=A".getBytes()).putInt(13).put("CNI_COMMAND=B".getBytes()).putInt(0)));
        bad.add(body(b -> b.putInt(0).putInt(CniWire.MAX_STDIN + 1)));                             // stdin over the cap
        bad.add(body(b -> b.putInt(0).putInt(10).put("short".getBytes())));                       // stdin shorter than said
        bad.add(body(b -> b.putInt(1000)));                                                        // too many variables
        bad.add(body(b -> b.putInt(0).putInt(0).put((byte) 1)));                                   // trailing byte
        for (byte[] request : bad) {
            CniWire.Reply reply = exchange(request);
            assertThat(reply.exitCode()).isEqualTo(1);
            assertThat(text(reply.stdout())).startsWith("{\"cniVersion\":\"1.1.0\",\"code\":6,\"msg\":\"").endsWith("}\n");
        }
        assertThat(invocations).isEmpty();
    }

    private static byte[] body(java.util.function.Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        fill.accept(b);
        b.flip();
        return ByteBuffer.allocate(8 + b.remaining()).putInt(CniWire.REQUEST_MAGIC).putInt(b.remaining()).put(b).array();
    }

    @Test
    void aRequestCutShortRunsNothingAndTheServerGoesOn() throws Exception {
        startEcho();
        byte[] request = CniWire.request(Map.of("CNI_COMMAND", "DEL"), "{}".getBytes(StandardCharsets.UTF_8));
        try (SocketChannel ch = connect()) {
            ch.write(ByteBuffer.wrap(request, 0, request.length - 1));
        }
        assertThat(exchange(request).exitCode()).isEqualTo(1);
        assertThat(invocations).hasSize(1);
    }

    @Test
    void aClientThatStallsIsDroppedAfterTheTimeout() throws Exception {
        start((env, stdin) -> new CniPlugin.Outcome(0, "", ""), Duration.ofMillis(300));
        try (SocketChannel ch = connect()) {
            ch.write(ByteBuffer.wrap(new byte[]{'N', 'V'}));
            long start = System.nanoTime();
            assertThat(ch.read(ByteBuffer.allocate(16))).isEqualTo(-1);
            System.out.printf("stalled client dropped after %d ms%n", (System.nanoTime() - start) / 1_000_000);
        }
        assertThat(invocations).isEmpty();
    }

    @Test
    void invocationsRunInParallel() throws Exception {
        int n = 8;
        CountDownLatch all = new CountDownLatch(n);
        start((env, stdin) -> {
            all.countDown();
            try {
                // every invocation waits for all the others: only parallel workers get here
                return new CniPlugin.Outcome(all.await(10, TimeUnit.SECONDS) ? 0 : 1, "", "");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, Duration.ofSeconds(5));
        ExecutorService clients = Executors.newFixedThreadPool(n);
        try {
            List<Future<CniWire.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String cid = "c" + i;
                replies.add(clients.submit(() -> exchange(CniWire.request(Map.of("CNI_CONTAINERID", cid), new byte[0]))));
            }
            for (Future<CniWire.Reply> reply : replies) {
                assertThat(reply.get(20, TimeUnit.SECONDS).exitCode()).isZero();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /** The socket's directory is made 0700 and the socket 0600: nobody but root gets as far as connect(). */
    @Test
    void theSocketSitsInADirectoryOnlyRootMayEnter() throws Exception {
        Path dir = tmp.resolve("agent");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        server = CniSocketServer.start(dir.resolve("cni.sock"), (env, stdin) -> new CniPlugin.Outcome(0, "", ""));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(server.path())))
                .isEqualTo("rw-------");
    }

    /**
     * Peer credentials are checked even when the file modes would let a client in (a hostPath mount, a chmod by
     * someone else): a client of uid 65534 connecting through a socket opened up to everyone gets a CNI error naming
     * the rule, and the handler never runs. Needs root (to start the client as another user).
     */
    @Test
    void aClientThatIsNotRootIsRefusedByItsPeerCredentials() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a client as uid 65534");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(Path.of("/usr/bin/setpriv"))
                && java.nio.file.Files.isExecutable(Path.of("/usr/bin/python3")), "needs setpriv and python3");
        startEcho();
        // open the way on purpose: only the credential check is left
        java.nio.file.Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        java.nio.file.Files.setPosixFilePermissions(server.path(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        byte[] request = CniWire.request(Map.of("CNI_COMMAND", "ADD"), "{}".getBytes(StandardCharsets.UTF_8));
        String client = """
                import socket, sys
                s = socket.socket(socket.AF_UNIX)
                s.connect(sys.argv[1])
                s.sendall(bytes.fromhex(sys.argv[2]))
                data = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                sys.stdout.write(data[12:].decode("utf-8", "replace"))
                """;
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                "/usr/bin/python3", "-c", client, server.path().toString(), java.util.HexFormat.of().formatHex(request))
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).contains("runs CNI invocations for root (uid 0) only").containsAnyOf("user nobody", "user 65534");
        assertThat(invocations).isEmpty();

        // root still gets through
        assertThat(exchange(request).exitCode()).isEqualTo(1);
        assertThat(invocations).hasSize(1);
    }
}
