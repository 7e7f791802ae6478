package io.nfvlab.operator;

import io.nfvlab.api.plan.VniRange;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperatorMainTest {
    @Test
    void theVniRangeDefaultsClearOfCalicoAndIsConfigurable() {
        OperatorMain main = new OperatorMain();
        new CommandLine(main).parseArgs();
        assertThat(main.vniRange).isEqualTo(VniRange.DEFAULT);
        assertThat(main.vniRange.contains(4096)).isFalse();

        new CommandLine(main).parseArgs("--vni-range", "70000-79999");
        assertThat(main.vniRange).isEqualTo(new VniRange(70000, 79999));

        assertThatThrownBy(() -> new CommandLine(new OperatorMain()).parseArgs("--vni-range", "0-100"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--vni-range")
                .hasMessageContaining("not within 1-16777215");
    }
}
