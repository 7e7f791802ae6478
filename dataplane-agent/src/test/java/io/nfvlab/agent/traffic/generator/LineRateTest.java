package io.nfvlab.agent.traffic.generator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LineRateTest {
    @Test
    void tenGigabitCarriesTheTextbookFrameRates() {
        assertThat(LineRate.framesPerSecond(10, FrameSize.fixed(64))).isCloseTo(14_880_952.38, within(0.01));
        assertThat(LineRate.framesPerSecond(10, FrameSize.fixed(1518))).isCloseTo(812_743.82, within(0.01));
        assertThat(LineRate.framesPerSecond(1, FrameSize.fixed(64))).isCloseTo(1_488_095.24, within(0.01));
    }

    @Test
    void imixUsesItsMeanSizeAndGbpsIsTheInverse() {
        double pps = LineRate.framesPerSecond(10, FrameSize.imix());
        assertThat(pps).isCloseTo(10e9 / ((4246 / 12.0 + 20) * 8), within(1e-6));
        assertThat(LineRate.gbps(pps, FrameSize.imix())).isCloseTo(10, within(1e-9));
    }

    @Test
    void aRateThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> LineRate.framesPerSecond(0, FrameSize.fixed(64))).hasMessageStartingWith("lineRate:");
        assertThatThrownBy(() -> LineRate.framesPerSecond(Double.NaN, FrameSize.fixed(64))).hasMessageStartingWith("lineRate:");
    }
}
