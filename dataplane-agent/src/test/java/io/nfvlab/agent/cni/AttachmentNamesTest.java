package io.nfvlab.agent.cni;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AttachmentNamesTest {
    @Test
    void longContainerIdsGetHashedShortNames() {
        String id = "a".repeat(300);
        assertThat(AttachmentNames.port(id, "net1")).hasSize(15).startsWith("nvc");
        assertThat(AttachmentNames.containerDir(id)).hasSizeLessThan(64);
        assertThat(AttachmentNames.stateFile("n", id, "net1")).hasSize(45);
        assertThat(AttachmentNames.port(id, "net1")).isNotEqualTo(AttachmentNames.port(id, "net2"));
        assertThat(CniPlugin.socketName(id, "net1", "nvcx")).isEqualTo("aaaaaaaaaaaa-net1");
        assertThat(CniPlugin.socketName("abc", "n*t", "nvcx")).isEqualTo("nvcx");
    }

    @Test
    void sha256MatchesTheJdk() throws Exception {
        MessageDigest jdk = MessageDigest.getInstance("SHA-256");
        for (String text : List.of("", "abc", "a".repeat(55), "a".repeat(56), "a".repeat(64), "x".repeat(300) + "\u0000net1", "ünï")) {
            String expected = HexFormat.of().formatHex(jdk.digest(text.getBytes(StandardCharsets.UTF_8)));
            assertThat(AttachmentNames.sha256(text)).as(text).isEqualTo(expected);
        }
    }
}
