package io.nfvlab.cli.run;

import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.cli.CliException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkOptionTest {
    @Test
    void readsMininetsTcLinkParameters() {
        LinkParams p = LinkOption.parse("tc,bw=10,delay=5,jitter=1ms,loss=2.5,max_queue_size=100");
        assertThat(p.getBandwidthMbps()).isEqualTo(10.0);
        assertThat(p.getDelay()).isEqualTo("5ms");
        assertThat(p.getJitter()).isEqualTo("1ms");
        assertThat(p.getLossPercent()).isEqualTo(2.5);
        assertThat(p.getMaxQueueSize()).isEqualTo(100);
        assertThat(LinkOption.parse("default").isShaped()).isFalse();
    }

    @Test
    void badValuesAreUsageErrorsNamingTheParameter() {
        assertThatThrownBy(() -> LinkOption.parse("tc,bw=fast")).isInstanceOf(CliException.class).hasMessage("--link: bw=fast: \"fast\" is not a number");
        assertThatThrownBy(() -> LinkOption.parse("tc,speed=1")).hasMessageStartingWith("--link: unknown link parameter \"speed\"");
        assertThat(LinkOption.parse("tc,delay=10,duplicate=1").getDuplicatePercent()).isEqualTo(1.0);
        assertThatThrownBy(() -> LinkOption.parse("tc,delay=soon")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> LinkOption.parse("ovs")).hasMessageStartingWith("--link ovs: use default or tc");
    }
}
