package io.nfvlab.agent.cni;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nfvlab.embedded.EmbeddedApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent's CNI socket against the in-process API server: requests over a real unix socket. */
class CniSocketServerTest {
    @TempDir
    Path tmp;
    private EmbeddedApiServer api;
    private CniSocketServer server;

    @BeforeEach
    void start() {
        api = EmbeddedApiServer.start();
        api.client().pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("vnf-1")
                .addToAnnotations("other", "kept").endMetadata().build()).create();
        server = CniSocketServer.start(tmp.resolve("cni.sock"), new PodAnnotations(api.newClient()));
    }

    @AfterEach
    void stop() {
        server.close();
        api.close();
    }

    private String send(String request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(server.path()));
            ch.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (ch.read(buf) > 0) {
                if (buf.get(buf.position() - 1) == '\n') {
                    break;
                }
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
        }
    }

    private String annotation() {
        return api.client().pods().inNamespace("default").withName("vnf-1").get().getMetadata().getAnnotations()
                .get(PodAnnotations.CONFIGURATION_DATA);
    }

    @Test
    void publishThenWithdrawKeepsOneEntryPerInterface() throws IOException {
        String publish = "{\"op\":\"publish\",\"podNamespace\":\"default\",\"podName\":\"vnf-1\",\"network\":\"dpdk-net\","
                + "\"ifName\":\"net1\",\"data\":{\"ifName\":\"net1\",\"name\":\"dpdk-net\",\"socketPath\":\"/run/x/s1\"}}";
        assertThat(send(publish)).isEqualTo("{\"ok\":true}");
        assertThat(send(publish.replace("/run/x/s1", "/run/x/s2"))).isEqualTo("{\"ok\":true}");
        assertThat(annotation()).isEqualTo("[{\"ifName\":\"net1\",\"name\":\"dpdk-net\",\"socketPath\":\"/run/x/s2\"}]");
        assertThat(send("{\"op\":\"withdraw\",\"podNamespace\":\"default\",\"podName\":\"vnf-1\",\"network\":\"dpdk-net\","
                + "\"ifName\":\"net1\"}")).isEqualTo("{\"ok\":true}");
        assertThat(annotation()).isNull();
        assertThat(api.client().pods().inNamespace("default").withName("vnf-1").get().getMetadata().getAnnotations())
                .containsEntry("other", "kept");
    }

    @Test
    void badRequestsGetOneLineErrors() throws IOException {
        assertThat(send("not json")).contains("\"ok\":false").contains("not JSON");
        assertThat(send("{\"op\":\"publish\",\"podNamespace\":\"../etc\",\"podName\":\"p\",\"network\":\"n\",\"ifName\":\"i\",\"data\":{}}"))
                .contains("podNamespace is missing or invalid");
        assertThat(send("{\"op\":\"publish\",\"podNamespace\":\"default\",\"podName\":\"ghost\",\"network\":\"n\",\"ifName\":\"i\",\"data\":{}}"))
                .contains("pod default/ghost not found");
        assertThat(send("{\"op\":\"reboot\",\"podNamespace\":\"default\",\"podName\":\"vnf-1\",\"network\":\"n\",\"ifName\":\"i\"}"))
                .contains("op must be publish or withdraw");
    }
}
