package io.nfvlab.cli.commands;

import io.nfvlab.cli.CliException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IperfUdpCommandTest {
    @Test
    void bandwidthIsReadAsIperfReadsDashB() {
        assertThat(IperfUdpCommand.megabits("10M")).isEqualTo(10.0);
        assertThat(IperfUdpCommand.megabits("500k")).isEqualTo(0.5);
        assertThat(IperfUdpCommand.megabits("1G")).isEqualTo(1000.0);
        assertThat(IperfUdpCommand.megabits("2000000")).isEqualTo(2.0);
    }

    @Test
    void aBadBandwidthIsAUsageError() {
        for (String bad : new String[]{"", "fast", "-1M", "0"}) {
            assertThatThrownBy(() -> IperfUdpCommand.megabits(bad)).as(bad).isInstanceOf(CliException.class)
                    .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(2));
        }
    }
}
