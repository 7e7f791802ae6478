package io.nfvlab.agent.ovs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** ovsdb-server's replies follow each other on the stream with no delimiter: the client finds where each ends. */
class OvsdbFramingTest {
    private static int end(String s) {
        return OvsdbClient.endOfObject(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void findsTheEndOfTheFirstObjectOnly() {
        String first = "{\"id\":1,\"result\":[{\"rows\":[{\"name\":\"br}0\"}]}],\"error\":null}";
        assertThat(end(first + "{\"id\":2")).isEqualTo(first.length());
        assertThat(end("  " + first)).isEqualTo(first.length() + 2);
    }

    @Test
    void bracesInsideStringsAndEscapedQuotesDoNotCount() {
        assertThat(end("{\"a\":\"}\\\"}\"}")).isEqualTo(12);
        assertThat(end("{\"a\":\"\\\\\"}")).isEqualTo(10);
        assertThat(end("{\"ü\":\"{\"}")).isEqualTo("{\"ü\":\"{\"}".getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void anIncompleteObjectIsNotAMessageYet() {
        assertThat(end("")).isEqualTo(-1);
        assertThat(end("{\"id\":1,\"result\":[")).isEqualTo(-1);
        assertThat(end("{\"a\":\"}")).isEqualTo(-1);
    }
}
