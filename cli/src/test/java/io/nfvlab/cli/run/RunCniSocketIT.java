package io.nfvlab.cli.run;

import io.nfvlab.agent.cni.CniSocketServer;
import io.nfvlab.agent.cni.CniWire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code nfvlab run --keep}'s agent serves nfvlab-cni, so a container on this machine attaches without an agent
 * daemon; a socket another agent already serves stays that agent's, and the run removes only its own.
 */
class RunCniSocketIT {
    @TempDir
    Path dir;

    @Test
    void theRunsAgentAnswersOnTheSocketLeavesAnotherAgentsSocketAloneAndRemovesItsOwn() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the run's agent works on the real kernel: root only");
        Path socket = dir.resolve("cni.sock");
        try (EmbeddedControlPlane first = EmbeddedControlPlane.start("cni-run-a", socket, new RunTimings(false))) {
            assertThat(first.cniSocket()).isEqualTo(socket);
            CniWire.Reply version = call(socket, Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"1.0.0\"}");
            assertThat(version.exitCode()).as(new String(version.stderr(), StandardCharsets.UTF_8)).isZero();
            assertThat(new String(version.stdout(), StandardCharsets.UTF_8)).contains("supportedVersions", "1.0.0");

            try (EmbeddedControlPlane second = EmbeddedControlPlane.start("cni-run-b", socket, new RunTimings(false))) {
                assertThat(second.cniSocket()).as("a second run does not take the socket over").isNull();
            }
            assertThat(CniSocketServer.servedAt(socket)).as("the first run still serves it").isTrue();
        }
        assertThat(socket).doesNotExist();
    }

    private static CniWire.Reply call(Path socket, Map<String, String> env, String stdin) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(CniWire.request(env, stdin.getBytes(StandardCharsets.UTF_8))));
            ch.shutdownOutput();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                buf.flip();
                reply.write(buf.array(), 0, buf.limit());
                buf.clear();
            }
            return CniWire.parseReply(ByteBuffer.wrap(reply.toByteArray()));
        }
    }
}
