package io.nfvlab.agent.ovs;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7047's wrapped values (moved from OvsDpdkPiecesTest, which read them from ovs-vsctl's JSON). */
class RowTest {
    @Test
    void ovsdbJsonIsUnwrapped() throws Exception {
        var result = new ObjectMapper().readTree("{\"rows\":[{\"name\":\"p0\",\"statistics\":[\"map\",[[\"rx_packets\",5]]],"
                + "\"mtu_request\":[\"set\",[]],\"_uuid\":[\"uuid\",\"abc\"],\"ports\":[\"set\",[[\"uuid\",\"u1\"],[\"uuid\",\"u2\"]]],"
                + "\"external_ids\":[\"map\",[[\"k\",\"v\"]]],\"link_state\":\"up\",\"stp_enable\":true}]}");
        assertThat(Ovsdb.rows(new ObjectMapper().readTree("{\"rows\":[]}"))).isEmpty();
        var rows = Ovsdb.rows(result);
        assertThat(rows).hasSize(1);
        var row = rows.get(0);
        assertThat(row.counters("statistics")).containsEntry("rx_packets", 5L);
        assertThat(row.number("mtu_request")).isNull();
        assertThat(row.uuid()).isEqualTo("abc");
        assertThat(row.set("ports")).containsExactly("u1", "u2");
        assertThat(row.map("external_ids")).containsEntry("k", "v");
        assertThat(row.string("link_state")).isEqualTo("up");
        assertThat(row.string("error")).isNull();
        assertThat(row.bool("stp_enable")).isTrue();
    }
}
