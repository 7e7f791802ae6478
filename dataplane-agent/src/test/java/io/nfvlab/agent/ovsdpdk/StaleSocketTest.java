package io.nfvlab.agent.ovsdpdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class StaleSocketTest {
    @Test
    void removesASocketFileNobodyListensOnButKeepsALiveOne(@TempDir Path dir) throws Exception {
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(stale));
        }
        assertThat(stale).exists();
        assertThat(VhostSockets.removeStaleSocket(stale)).isTrue();
        assertThat(stale).doesNotExist();

        Path live = dir.resolve("live.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(live));
            assertThat(VhostSockets.removeStaleSocket(live)).isFalse();
            assertThat(live).exists();
        }
        Files.deleteIfExists(live);
        assertThat(VhostSockets.removeStaleSocket(dir.resolve("absent.sock"))).isFalse();
    }
}
