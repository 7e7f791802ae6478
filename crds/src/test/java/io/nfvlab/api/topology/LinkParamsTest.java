package io.nfvlab.api.topology;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkParamsTest {
    @Test
    void durationsAreParsedFromTheWireFormat() {
        assertThat(LinkParams.parseDuration("20ms")).isEqualTo(Duration.ofMillis(20));
        assertThat(LinkParams.parseDuration("100us")).isEqualTo(Duration.ofNanos(100_000));
        assertThat(LinkParams.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(LinkParams.parseDuration("0.0005ms")).isEqualTo(Duration.ofNanos(500));
        assertThat(LinkParams.parseDuration(null)).isNull();
    }

    @Test
    void whatTheSchemaRejectsDoesNotParse() {
        assertThatThrownBy(() -> LinkParams.parseDuration("5 ms")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"5 ms\" is not a duration");
        assertThatThrownBy(() -> LinkParams.parseDuration("5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkParams.parseDuration("99999999999999999999s")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theParsedViewCarriesDurationsAndLeavesTheWireFormatAlone() {
        LinkParams wire = LinkParams.builder().delay("20ms").jitter("1ms").lossPercent(10.0).mtu(1400).build();
        ParsedLinkParams p = wire.parsed();
        assertThat(p.delay()).isEqualTo(Duration.ofMillis(20));
        assertThat(p.jitter()).isEqualTo(Duration.ofMillis(1));
        assertThat(p.lossPercent()).isEqualTo(10.0);
        assertThat(p.mtu()).isEqualTo(1400);
        assertThat(p.shaped()).isTrue();
        assertThat(wire.getDelay()).isEqualTo("20ms");
        assertThat(new LinkParams().parsed()).isEqualTo(ParsedLinkParams.NONE);
        assertThat(ParsedLinkParams.NONE.shaped()).isFalse();
    }
}
