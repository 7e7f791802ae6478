package io.nfvlab.cni;

import io.nfvlab.agent.cni.CniSocketServer;
import io.nfvlab.agent.cni.CniWire;
import io.nfvlab.agent.cni.CniPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executable's side of the framing: what it forwards, what it prints, and what it does when the agent is
 * missing, goes away, stalls or answers with a broken frame. The agent here is the real CniSocketServer with a
 * recording handler, or a scripted server that misbehaves on purpose.
 */
class ThinClientFramingTest {
    private static final Map<String, String> ADD = Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "c1",
            "CNI_NETNS", "/var/run/netns/x", "CNI_IFNAME", "net1", "CNI_PATH", "/usr/lib/cni");
    @TempDir
    Path dir;
    private CniSocketServer server;
    private final List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
    private final List<String> stdins = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Path recordingAgent(CniSocketServer.Handler answer) {
        server = CniSocketServer.start(dir.resolve("cni.sock"), (env, stdin) -> {
            seen.add(env);
            stdins.add(stdin);
            return answer.handle(env, stdin);
        });
        return server.path();
    }

    private Path recordingAgent() {
        return recordingAgent((env, stdin) -> new CniPlugin.Outcome(0, "{}", ""));
    }

    /** A server that accepts one connection and hands it to {@code script}; the socket file is removed after. */
    private Path scriptedAgent(ThrowingConsumer script) throws IOException {
        Path path = dir.resolve("scripted.sock");
        ServerSocketChannel ss = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ss.bind(UnixDomainSocketAddress.of(path));
        CompletableFuture.runAsync(() -> {
            try (ss; SocketChannel ch = ss.accept()) {
                script.accept(ch);
            } catch (Exception e) {
                // the client's view is what the test checks
            }
        });
        return path;
    }

    interface ThrowingConsumer {
        void accept(SocketChannel ch) throws Exception;
    }

    /** Reads one whole request, as the agent does. */
    private static ByteBuffer readRequest(SocketChannel ch) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(8);
        while (header.hasRemaining() && ch.read(header) >= 0) {
            // until the header is in
        }
        ByteBuffer body = ByteBuffer.allocate(header.getInt(4));
        while (body.hasRemaining() && ch.read(body) >= 0) {
            // until the body is in
        }
        return body.flip();
    }

    private static CniExecutable.Run run(Map<String, String> cniEnv, Path socket, String stdin) throws Exception {
        return CniExecutable.run(CniExecutable.toAgent(cniEnv, socket), stdin);
    }

    @Test
    void forwardsOnlyTheCniVariablesAndPrintsTheReplyAsItCame() throws Exception {
        Path socket = recordingAgent((env, stdin) -> new CniPlugin.Outcome(7, "{\"ü\":\"\\u0000\"}", "a warning\n"));
        Map<String, String> env = new HashMap<>(ADD);
        env.put("CNI_ARGS", "");                      // set but empty: forwarded as empty
        env.put("PATH", "/usr/bin:/bin");             // the agent never takes these from a caller
        env.put("LD_PRELOAD", "/nonexistent.so");
        env.put("CNI_EXTRA", "x");
        CniExecutable.Run out = run(env, socket, "{\"cniVersion\":\"1.1.0\"}");
        Map<String, String> expected = new HashMap<>(ADD);
        expected.put("CNI_ARGS", "");
        assertThat(seen).containsExactly(expected);
        assertThat(stdins).containsExactly("{\"cniVersion\":\"1.1.0\"}");
        assertThat(out.exitCode()).isEqualTo(7);
        assertThat(out.stdoutBytes()).isEqualTo("{\"ü\":\"\\u0000\"}\n".getBytes(StandardCharsets.UTF_8));
        assertThat(out.stderr()).isEqualTo("a warning\n");
    }

    @Test
    void stdinOfOneMibGoesThroughAndOneByteMoreIsADecodeError() throws Exception {
        Path socket = recordingAgent();
        String mib = "x".repeat(CniWire.MAX_STDIN);
        assertThat(run(ADD, socket, mib).exitCode()).isZero();
        assertThat(stdins).hasSize(1);
        assertThat(stdins.get(0)).hasSize(CniWire.MAX_STDIN);

        for (int size : List.of(CniWire.MAX_STDIN + 1, 3 * CniWire.MAX_STDIN)) {
            CniExecutable.Run out = run(ADD, socket, "y".repeat(size));
            assertThat(out.exitCode()).isEqualTo(1);
            assertThat(out.errorCode()).as(out.stdout()).isEqualTo(6);
            assertThat(out.stdout()).contains("larger than 1 MiB");
        }
        assertThat(stdins).as("oversized configurations never reach the agent").hasSize(1);
    }

    @Test
    void anAgentThatGoesAwayMidRequestIsTryAgainLater() throws Exception {
        Path socket = scriptedAgent(ch -> readRequest(ch));
        CniExecutable.Run out = run(ADD, socket, "{}");
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.errorCode()).isEqualTo(11);
        assertThat(out.stderr()).contains("closed without a reply");
    }

    @Test
    void anAgentThatClosesBeforeReadingIsTryAgainLater() throws Exception {
        // a large request, so that the executable is still sending when the agent goes
        Path socket = scriptedAgent(ch -> ch.read(ByteBuffer.allocate(8)));
        CniExecutable.Run out = run(ADD, socket, "z".repeat(CniWire.MAX_STDIN));
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.errorCode()).isEqualTo(11);
    }

    @Test
    void aTruncatedReplyIsTryAgainLaterAndPrintsNothingOfIt() throws Exception {
        byte[] whole = CniWire.reply(0, "{\"cniVersion\":\"1.1.0\",\"interfaces\":[]}\n".getBytes(StandardCharsets.UTF_8), new byte[0]);
        for (int cut : List.of(3, 8, 14, whole.length - 1)) {
            Path socket = scriptedAgent(ch -> {
                readRequest(ch);
                ch.write(ByteBuffer.wrap(Arrays.copyOf(whole, cut)));
            });
            CniExecutable.Run out = run(ADD, socket, "{}");
            assertThat(out.exitCode()).as("cut at " + cut).isEqualTo(1);
            assertThat(out.errorCode()).as(out.stdout()).isEqualTo(11);
            assertThat(out.stdout()).doesNotContain("interfaces");
            Files.deleteIfExists(socket);
        }
    }

    @Test
    void aMalformedReplyIsTryAgainLater() throws Exception {
        List<byte[]> replies = new ArrayList<>();
        replies.add("{\"ok\":true}\n".getBytes(StandardCharsets.UTF_8));                               // not a frame
        replies.add(ByteBuffer.allocate(8).putInt(CniWire.REPLY_MAGIC).putInt(64 << 20).array());       // too large
        replies.add(ByteBuffer.allocate(20).putInt(CniWire.REPLY_MAGIC).putInt(12).putInt(0).putInt(9).putInt(0).array()); // stdout longer than the body
        replies.add(ByteBuffer.allocate(20).putInt(CniWire.REPLY_MAGIC).putInt(12).putInt(256).putInt(0).putInt(0).array()); // exit code 256 would be 0
        for (byte[] reply : replies) {
            Path socket = scriptedAgent(ch -> {
                readRequest(ch);
                ch.write(ByteBuffer.wrap(reply));
            });
            CniExecutable.Run out = run(ADD, socket, "{}");
            assertThat(out.exitCode()).isEqualTo(1);
            assertThat(out.errorCode()).as(out.stdout()).isEqualTo(11);
            Files.deleteIfExists(socket);
        }
    }

    @Test
    void anAgentThatDoesNotAnswerInTimeIsTryAgainLater() throws Exception {
        Path socket = scriptedAgent(ch -> {
            readRequest(ch);
            Thread.sleep(5000);
        });
        Map<String, String> env = new HashMap<>(CniExecutable.toAgent(ADD, socket));
        env.put("NFVLAB_CNI_TIMEOUT_MS", "300");
        long start = System.nanoTime();
        CniExecutable.Run out = CniExecutable.run(env, "{}");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(out.errorCode()).isEqualTo(11);
        assertThat(out.stderr()).contains("no reply in time");
        assertThat(ms).as("gave up after the timeout, not the agent").isLessThan(4000);
    }

    @Test
    void withoutAnAgentTheFallbackGetsTheInvocationUntouched() throws Exception {
        Map<String, String> env = new HashMap<>(ADD);
        env.put("NFVLAB_CNI_SOCKET", dir.resolve("absent.sock").toString());
        env.put("NFVLAB_CNI_FALLBACK", "/bin/cat"); // echoes the stdin it was given
        String conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"n\"}";
        CniExecutable.Run out = CniExecutable.run(env, conf);
        assertThat(out.exitCode()).isZero();
        assertThat(out.stdout()).isEqualTo(conf);

        // a socket file nobody listens on (an agent that died): refused, so the fallback again
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(dir.resolve("dead.sock")));
        }
        env.put("NFVLAB_CNI_SOCKET", dir.resolve("dead.sock").toString());
        assertThat(CniExecutable.run(env, conf).stdout()).isEqualTo(conf);
    }

    @Test
    void withoutAnAgentOrAFallbackItIsTryAgainLater() throws Exception {
        CniExecutable.Run out = run(ADD, dir.resolve("absent.sock"), "{}");
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.errorCode()).isEqualTo(11);
        assertThat(out.stderr()).contains(dir.resolve("absent.sock").toString());

        Map<String, String> env = new HashMap<>(CniExecutable.toAgent(ADD, dir.resolve("absent.sock")));
        env.put("NFVLAB_CNI_FALLBACK", dir.resolve("no-such-fallback").toString());
        assertThat(CniExecutable.run(env, "{}").errorCode()).isEqualTo(11);
    }

    @Test
    void manyInvocationsAtOnceAreAllAnswered() throws Exception {
        Path socket = recordingAgent((env, stdin) -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new CniPlugin.Outcome(0, "{\"id\":\"" + env.get("CNI_CONTAINERID") + "\"}", "");
        });
        List<CompletableFuture<CniExecutable.Run>> runs = new ArrayList<>();
        var clients = java.util.concurrent.Executors.newFixedThreadPool(32);
        for (int i = 0; i < 32; i++) {
            Map<String, String> env = new HashMap<>(ADD);
            env.put("CNI_CONTAINERID", "c" + i);
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return run(env, socket, "{}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, clients));
        }
        clients.shutdown();
        for (int i = 0; i < runs.size(); i++) {
            CniExecutable.Run out = runs.get(i).get(60, TimeUnit.SECONDS);
            assertThat(out.exitCode()).isZero();
            assertThat(out.stdout()).isEqualTo("{\"id\":\"c" + i + "\"}\n");
        }
    }
}
