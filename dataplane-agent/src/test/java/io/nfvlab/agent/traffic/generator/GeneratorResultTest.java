package io.nfvlab.agent.traffic.generator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GeneratorResultTest {
    /** A line as nfvlab-gen prints it (fields it adds for humans are ignored). */
    static final String LINE = "{\"sent\":200000,\"received\":199990,\"lost\":10,\"reordered\":2,\"requestedPps\":100000.000,"
            + "\"achievedPps\":99998.512,\"durationS\":2.000,\"frameSize\":\"64\",\"txFull\":0,"
            + "\"latency\":{\"min\":3.1,\"avg\":12.5,\"max\":250.0,\"p50\":9,\"p99\":80}}";

    @Test
    void parsesEveryFieldOfTheResultLine() {
        GeneratorResult r = GeneratorResult.parse(LINE);
        assertThat(r).isEqualTo(new GeneratorResult(200000, 199990, 10, 2, 100000, 99998.512,
                new LatencySummary(3.1, 12.5, 250.0, 9, 80)));
        assertThat(r.lossRatio()).isEqualTo(10 / 200000.0);
    }

    @Test
    void latencyIsNullWhenNothingCameBack() {
        GeneratorResult r = GeneratorResult.parse("{\"sent\":5,\"received\":0,\"lost\":5,\"reordered\":0,"
                + "\"requestedPps\":0,\"achievedPps\":1e6,\"latency\":null}");
        assertThat(r.latency()).isNull();
        assertThat(r.lossRatio()).isEqualTo(1.0);
    }

    @Test
    void anIncompleteOrForeignLineIsRefused() {
        assertThatThrownBy(() -> GeneratorResult.parse("{\"sent\":5}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nfvlab-gen printed no valid result line");
        assertThatThrownBy(() -> GeneratorResult.parse("EAL: Detected 2 lcores")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GeneratorResult.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GeneratorResult.parse(LINE.replace("\"lost\":10", "\"lost\":-10")))
                .hasMessageContaining("negative");
    }
}
