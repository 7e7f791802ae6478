package io.nfvlab.agent.traffic.generator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FrameSizeTest {
    @Test
    void fixedSizesParseAndPrintAsTheirBytes() {
        assertThat(FrameSize.parse("64")).isEqualTo(FrameSize.fixed(64)).hasToString("64");
        assertThat(FrameSize.parse(" 9000 ").averageBytes()).isEqualTo(9000);
    }

    @Test
    void imixIsSevenSmallFourMediumOneLarge() {
        FrameSize imix = FrameSize.parse("imix");
        assertThat(imix).isSameAs(FrameSize.imix()).hasToString("IMIX");
        assertThat(FrameSize.IMIX_PATTERN).filteredOn(b -> b == 64).hasSize(7);
        assertThat(FrameSize.IMIX_PATTERN).filteredOn(b -> b == 570).hasSize(4);
        assertThat(FrameSize.IMIX_PATTERN).filteredOn(b -> b == 1518).hasSize(1);
        assertThat(imix.averageBytes()).isCloseTo((7 * 64 + 4 * 570 + 1518) / 12.0, within(1e-9));
    }

    @Test
    void sizesOutsideTheRangeAndGarbageAreRefusedNamingTheField() {
        assertThatThrownBy(() -> FrameSize.parse("63")).hasMessage("frameSize: 63 bytes is outside 64 to 9000");
        assertThatThrownBy(() -> FrameSize.parse("9001")).hasMessageStartingWith("frameSize: 9001");
        assertThatThrownBy(() -> FrameSize.parse("-64")).hasMessageContaining("frameSize: \"-64\" is neither");
        assertThatThrownBy(() -> FrameSize.parse("64k")).hasMessageContaining("frameSize");
        assertThatThrownBy(() -> FrameSize.parse("99999999999")).hasMessageContaining("frameSize");
        assertThatThrownBy(() -> FrameSize.parse("")).hasMessageStartingWith("frameSize: empty");
        assertThatThrownBy(() -> FrameSize.parse(null)).hasMessageStartingWith("frameSize: empty");
    }
}
