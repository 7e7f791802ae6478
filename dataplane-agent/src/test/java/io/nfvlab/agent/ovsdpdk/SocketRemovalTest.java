package io.nfvlab.agent.ovsdpdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Stale-socket removal deletes sockets nobody listens on, and nothing else a plan could name. */
class SocketRemovalTest {
    @TempDir
    Path dir;

    private Path staleSocket(String name) throws Exception {
        Path p = dir.resolve(name);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(p));
        }
        // the JDK leaves the socket file behind on close, as a crashed DPDK application would
        assertThat(p).exists();
        return p;
    }

    private Path fifo(String name) throws Exception {
        Path p = dir.resolve(name);
        Process mkfifo = new ProcessBuilder("mkfifo", p.toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        return p;
    }

    @Test
    void removesOnlyAStaleSocket() throws Exception {
        Path socket = staleSocket("a.sock");
        Path file = Files.writeString(dir.resolve("b.sock"), "precious");
        Path fifo = fifo("c.sock");
        Path link = Files.createSymbolicLink(dir.resolve("d.sock"), staleSocket("target.sock"));

        assertThat(VhostSockets.removeStaleSocket(file)).isFalse();
        assertThat(VhostSockets.removeStaleSocket(fifo)).isFalse();
        assertThat(VhostSockets.removeStaleSocket(link)).isFalse();
        assertThat(VhostSockets.removeStaleSocket(socket)).isTrue();

        assertThat(socket).doesNotExist();
        assertThat(file).hasContent("precious");
        assertThat(fifo).exists();
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void socketDirRemovalKeepsFilesAndFifos() throws Exception {
        Path socket = staleSocket("p0.sock");
        Path file = Files.writeString(dir.resolve("p1.sock"), "precious");
        Path fifo = fifo("p2.sock");

        OvsDpdkBridges.removeSocketDir(dir);

        assertThat(socket).doesNotExist();
        assertThat(file).hasContent("precious");
        assertThat(fifo).exists();
        assertThat(dir).isDirectory();
    }
}
