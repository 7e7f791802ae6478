package io.nfvlab.agent.kernel.shaping;

import io.nfvlab.api.topology.DelayDistribution;
import io.nfvlab.api.topology.LinkParams;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which mechanism carries corruption, duplication, reordering, correlated loss and distributions, with and without netem. */
class LinkImpairmentsTest {
    private static final ShapingMechanisms NETEM = ShapingMechanisms.WITH_NETEM;
    private static final ShapingMechanisms NO_NETEM = ShapingMechanisms.WITHOUT_NETEM;

    private static List<String> lines(LinkShaping s) {
        return s.tcSet("d").stream().map(l -> String.join(" ", l.words()) + (l.quoted() == null ? "" : " \"" + l.quoted() + "\"")).toList();
    }

    @Test
    void withoutNetemDuplicationAloneRunsThroughADelayLineWithNoDelay() {
        LinkShaping s = LinkShaping.of(LinkParams.builder().duplicatePercent(5.0).build(), NO_NETEM);
        assertThat(s.delayLine()).isNotNull();
        assertThat(s.delayLine().delay()).isZero();
        assertThat(s.delayLine().impairments().duplicatePercent()).isEqualTo(5.0);
        assertThat(s.rootQdisc()).isNull();
        assertThat(s.carriers()).isEqualTo("delay-line(duplicatePercent)");
    }

    @Test
    void withoutNetemPlainLossStaysInTheBpfFilterAndCorrelatedLossMovesIntoTheDelayLine() {
        LinkShaping plain = LinkShaping.of(LinkParams.builder().lossPercent(2.0).build(), NO_NETEM);
        assertThat(plain.lossFilter()).isTrue();
        assertThat(plain.delayLine()).isNull();

        LinkShaping correlated = LinkShaping.of(LinkParams.builder().lossPercent(2.0).lossCorrelationPercent(50.0).build(), NO_NETEM);
        assertThat(correlated.lossFilter()).isFalse();
        assertThat(correlated.delayLine().lossPercent()).isEqualTo(2.0);
        assertThat(correlated.carriers()).isEqualTo("delay-line(lossCorrelationPercent,lossPercent)");
    }

    @Test
    void withoutNetemCorruptionTurnsOffloadsOffSoTheReceiverChecksTheChecksum() {
        assertThat(LinkShaping.of(LinkParams.builder().corruptPercent(1.0).build(), NO_NETEM).needsChecksums()).isTrue();
        assertThat(LinkShaping.of(LinkParams.builder().corruptPercent(1.0).build(), NETEM).needsChecksums()).isFalse();
        assertThat(LinkShaping.of(LinkParams.builder().delay("1ms").build(), NO_NETEM).needsChecksums()).isFalse();
    }

    @Test
    void withNetemEverythingButRateIsOneNetemQdiscUnderTheTokenBucket() {
        LinkShaping s = LinkShaping.of(LinkParams.builder().bandwidthMbps(10.0).delay("10ms").jitter("2ms")
                .delayDistribution(DelayDistribution.NORMAL).lossPercent(1.0).corruptPercent(0.5).duplicatePercent(2.0)
                .reorderPercent(25.0).reorderGap(5).maxQueueSize(100).build(), NETEM);
        assertThat(s.delayLine()).isNull();
        assertThat(s.lossFilter()).isFalse();
        assertThat(s.rootQdisc()).isEqualTo("tbf");
        assertThat(lines(s)).contains("qdisc add dev d parent 1:1 handle 10: netem limit 100 delay 10000us 2000us distribution normal "
                + "loss random 1% corrupt 0.5% duplicate 2% reorder 25% gap 5");
        assertThat(s.carriers()).isEqualTo("netem(delay,jitter,corruptPercent,duplicatePercent,reorderPercent,delayDistribution,"
                + "lossPercent,maxQueueSize) tbf(bandwidthMbps)");
    }

    @Test
    void withNetemCorrelatedLossIsTheDelayLinesTwoStateChain() {
        LinkShaping s = LinkShaping.of(LinkParams.builder().lossPercent(10.0).lossCorrelationPercent(50.0).build(), NETEM);
        assertThat(s.rootQdisc()).isEqualTo("netem");
        // enter loss with p(1-c) = 5 %, leave it with (1-p)(1-c) = 45 %
        assertThat(lines(s)).contains("qdisc add dev d root handle 10: netem limit 1000 loss gemodel 5% 45%");
    }

    @Test
    void netemChangesTheSignatureSoEndsAreReconfiguredWhenTheMechanismChanges() {
        LinkParams p = LinkParams.builder().delay("10ms").build();
        assertThat(LinkShaping.of(p, NETEM).signature(false)).isNotEqualTo(LinkShaping.of(p, NO_NETEM).signature(false));
        // a link without the new parameters keeps the signature earlier agents wrote
        LinkParams rate = LinkParams.builder().bandwidthMbps(5.0).build();
        assertThat(LinkShaping.of(rate, NETEM).signature(false)).isEqualTo(LinkShaping.of(rate, NO_NETEM).signature(false));
        assertThat(LinkShaping.of(LinkParams.builder().delay("10ms").duplicatePercent(1.0).build(), NO_NETEM).signature(false))
                .isNotEqualTo(LinkShaping.of(p, NO_NETEM).signature(false));
    }

    @Test
    void aTunnelEndRefusesWhatOnlyTheDelayLineCarriesNamingTheKernelModule() {
        LinkShaping s = LinkShaping.of(LinkParams.builder().delay("5ms").duplicatePercent(1.0).bandwidthMbps(5.0).build(), NO_NETEM);
        assertThat(s.refusedOnTunnel()).contains("delay, duplicatePercent").contains("sch_netem");
        assertThat(LinkShaping.of(LinkParams.builder().delay("5ms").build(), NETEM).refusedOnTunnel()).isNull();
        assertThat(LinkShaping.of(LinkParams.builder().lossPercent(1.0).bandwidthMbps(5.0).build(), NO_NETEM).refusedOnTunnel()).isNull();
    }

    @Test
    void anUnshapedLinkReportsNoCarriers() {
        assertThat(LinkShaping.of(new LinkParams(), NETEM).carriers()).isEmpty();
        assertThat(LinkShaping.of(LinkParams.builder().maxQueueSize(10).build(), NO_NETEM).carriers()).isEqualTo("pfifo(maxQueueSize)");
    }
}
