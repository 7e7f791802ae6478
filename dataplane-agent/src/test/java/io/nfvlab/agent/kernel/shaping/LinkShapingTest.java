package io.nfvlab.agent.kernel.shaping;

import io.nfvlab.agent.kernel.shaping.LinkShaping.TcChange;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.topology.LinkParams;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LinkShapingTest {
    private static LinkShaping of(LinkParams.LinkParamsBuilder<?, ?> b) {
        return LinkShaping.of(b.build());
    }

    private static List<String> lines(LinkShaping s) {
        return s.tcSet("d").stream().map(l -> String.join(" ", l.words()) + (l.quoted() == null ? "" : " \"" + l.quoted() + "\"")).toList();
    }

    @Test
    void delayAndJitterRunThroughADelayLineThatKeepsTheQueueLimit() {
        LinkShaping s = of(LinkParams.builder().delay("20ms").jitter("1ms").maxQueueSize(50));
        assertThat(s.delayLine()).isEqualTo(new DelayLine(Duration.ofMillis(20), Duration.ofMillis(1), 50));
        assertThat(s.rootQdisc()).isNull();
        assertThat(lines(s)).containsExactly("qdisc del dev d root", "qdisc del dev d clsact");
    }

    @Test
    void aDelayLineWithoutLimitOrJitterHoldsAThousandFramesWithoutVariation() {
        assertThat(of(LinkParams.builder().delay("5ms")).delayLine())
                .isEqualTo(new DelayLine(Duration.ofMillis(5), Duration.ZERO, DelayLine.DEFAULT_LIMIT));
        assertThat(of(LinkParams.builder().bandwidthMbps(10.0)).delayLine()).isNull();
        assertThat(LinkShaping.NONE.delayLine()).isNull();
    }

    @Test
    void rateIsATokenBucketWithTheQueueLimitBelowIt() {
        LinkShaping s = of(LinkParams.builder().bandwidthMbps(50.0).maxQueueSize(100));
        assertThat(s.rootQdisc()).isEqualTo("tbf");
        assertThat(lines(s)).containsExactly("qdisc del dev d root", "qdisc del dev d clsact",
                "qdisc add dev d root handle 1: tbf rate 50000kbit burst 50000 latency 50ms",
                "qdisc add dev d parent 1:1 handle 10: pfifo limit 100");
    }

    @Test
    void lossIsARandomDropFilterOnEgress() {
        LinkShaping s = of(LinkParams.builder().lossPercent(10.0));
        assertThat(s.rootQdisc()).isNull();
        assertThat(s.lossFilter()).isTrue();
        assertThat(lines(s)).containsExactly("qdisc del dev d root", "qdisc del dev d clsact", "qdisc add dev d clsact",
                "filter add dev d egress prio 1 bpf da bytecode \"4,32 0 0 4294963256,53 1 0 429496730,6 0 0 4,6 0 0 4294967295\"");
    }

    @Test
    void anEndIsReshapedOnlyWhenWhatItCarriesDiffers() {
        LinkShaping rate = of(LinkParams.builder().bandwidthMbps(10.0));
        assertThat(rate.tcChange(true, null, false)).isEqualTo(TcChange.SET);
        assertThat(rate.tcChange(false, "tbf", false)).isEqualTo(TcChange.NONE);
        assertThat(rate.tcChange(false, "noqueue", false)).isEqualTo(TcChange.SET);
        assertThat(rate.tcChange(false, "tbf", true)).isEqualTo(TcChange.SET);
        assertThat(LinkShaping.NONE.tcChange(true, "noqueue", false)).isEqualTo(TcChange.NONE);
        assertThat(LinkShaping.NONE.tcChange(true, "pfifo", false)).isEqualTo(TcChange.CLEAR);
        assertThat(LinkShaping.NONE.tcChange(false, null, true)).isEqualTo(TcChange.CLEAR);
        assertThat(LinkShaping.NONE.tcChange(false, "noqueue", false)).isEqualTo(TcChange.NONE);
    }

    @Test
    void signaturesAndRelayDeviceNamesAreThoseEarlierAgentsWrote() {
        // an unshaped end's mark suffix in the golden plan (planner/linear-4.plan.txt)
        assertThat(LinkShaping.NONE.signature(false)).isEqualTo(LinkShaping.of(new LinkParams()).signature(false)).isEqualTo("bd3a734a");
        assertThat(of(LinkParams.builder().delay("20ms")).signature(false))
                .isNotEqualTo(of(LinkParams.builder().delay("20000us")).signature(false))
                .isNotEqualTo(of(LinkParams.builder().delay("20ms")).signature(true));
        assertThat(KernelNames.relayDevice("abcde", "h1-eth0~s1-eth1", 'a')).isEqualTo("nvabcderd89da");
    }
}
