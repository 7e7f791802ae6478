package io.nfvlab.agent.traffic.rfc2544;

import io.nfvlab.api.traffic.Rfc2544Frames;
import io.nfvlab.api.traffic.Rfc2544Row;
import io.nfvlab.api.traffic.Rfc2544Spec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The search against simulated devices under test whose loss curve each test chooses. */
class FrameSizeRunTest {
    private static final double LINE_64 = Rfc2544Frames.lineFps("64", 10);
    private final List<String> progress = new ArrayList<>();

    private Rfc2544Row run(SimulatedDut dut, Rfc2544Spec spec) {
        return new FrameSizeRun(Rfc2544Settings.of(spec, true), dut, progress::add).run("64");
    }

    @Test
    void ndrAndPdrOfAClearCutDeviceAreItsCapacityWithinThePrecision() {
        SimulatedDut dut = new SimulatedDut();
        dut.capacityFps = 0.37 * LINE_64;
        Rfc2544Row row = run(dut, Rfc2544Spec.builder().latency(false).build());
        // precision 2 % of line: the answer is within 2 points below the capacity, never above it
        assertThat(row.getNdrPercent()).isBetween(35.0, 37.0);
        assertThat(row.getPdrPercent()).isBetween(35.0, 37.0 + 37 * 0.001);
        assertThat(row.getNdrMpps()).isCloseTo(LINE_64 * row.getNdrPercent() / 100 / 1e6, within(1e-5));
        assertThat(row.getNdrGbps()).isCloseTo(10 * row.getNdrPercent() / 100, within(1e-4));
        assertThat(row.getError()).isNull();
        // the max-rate trial tells the search what the device forwarded: a handful of trials, not a full bisection
        assertThat(row.getTrials()).isLessThanOrEqualTo(8);
        assertThat(progress).isNotEmpty().allMatch(p -> p.contains("NDR") && p.contains("PDR"));
    }

    @Test
    void theFinalTrialIsLongerAndADeviceThatOnlyHoldsShortTrialsIsFoundLower() {
        SimulatedDut dut = new SimulatedDut();
        dut.capacityFps = 0.60 * LINE_64;
        dut.longCapacityFps = 0.40 * LINE_64;
        Rfc2544Row row = run(dut, Rfc2544Spec.builder().latency(false).trialSeconds(1).finalTrialSeconds(5).build());
        assertThat(row.getNdrPercent()).isBetween(38.0, 40.0);
        assertThat(dut.requests).anyMatch(r -> r.duration().getSeconds() == 5);
        // the answer was verified by a final-length trial at that very rate
        double ndrFps = LINE_64 * row.getNdrPercent() / 100;
        assertThat(dut.requests).anyMatch(r -> r.duration().getSeconds() == 5 && Math.abs(r.fps() - ndrFps) < 1);
    }

    @Test
    void aLossyLinkHasAPdrButNoNdrAboveTheMinimum() {
        SimulatedDut dut = new SimulatedDut();
        dut.capacityFps = 0.5 * LINE_64;
        dut.randomLoss = 0.005;
        Rfc2544Row row = run(dut, Rfc2544Spec.builder().latency(false).pdrLossPercent(1.0).minRatePercent(0.001).build());
        // 0.5 % loss passes a 1 % PDR up to the capacity; no trial of thousands of frames loses nothing
        assertThat(row.getPdrPercent()).isBetween(48.0, 50.0);
        assertThat(row.getPdrLossPercent()).isBetween(0.3, 0.7);
        assertThat(row.getNdrPercent() == null || row.getNdrPercent() < 1).isTrue();
    }

    @Test
    void oneShortTrialThatLosesAFewFramesToOtherWorkIsRepeatedAndDoesNotLowerTheAnswer() {
        // carries 50 % of line; the first trial at or below that loses 0.01 %, as when the receiver was off the CPU
        int[] hiccups = {1};
        TrialRunner dut = r -> {
            long sent = Math.round(r.fps() * r.duration().toMillis() / 1000.0);
            double percent = r.fps() * 100 / LINE_64;
            long received = percent <= 50.0000001 ? sent - (hiccups[0]-- > 0 ? sent / 10_000 : 0) : Math.round(sent * 50 / percent);
            return new TrialRunner.TrialResult(sent, received, r.fps(), null);
        };
        Rfc2544Row row = new FrameSizeRun(Rfc2544Settings.of(Rfc2544Spec.builder().latency(false).build(), true), dut, progress::add).run("64");
        // the first trial at 50 % is the one at the rate forwarded at 100 %: found exactly when its repeat passes
        // (without the repeat the NDR would be searched below 50 %)
        assertThat(hiccups[0]).isNegative();
        assertThat(row.getNdrPercent()).isCloseTo(50.0, within(0.001));
    }

    @Test
    void aGeneratorThatCannotOfferTheRateDoesNotPassTheDevice() {
        SimulatedDut dut = new SimulatedDut();
        dut.generatorFps = 0.2 * LINE_64;
        Rfc2544Row row = run(dut, Rfc2544Spec.builder().latency(false).build());
        assertThat(row.getNdrPercent()).isLessThanOrEqualTo(20.0);
    }

    @Test
    void noRateAtAllIsReportedAsSuchWithTheReason() {
        SimulatedDut dut = new SimulatedDut();
        dut.capacityFps = 0;
        Rfc2544Row row = run(dut, Rfc2544Spec.builder().latency(false).build());
        assertThat(row.getNdrMpps()).isNull();
        assertThat(row.getPdrMpps()).isNull();
        assertThat(row.getError()).contains("NDR: no rate from 1 % of line up met 0 % loss;").contains("PDR: no rate");
    }

    @Test
    void theTrialBudgetEndsTheSearchWithoutClaimingAnAnswer() {
        SimulatedDut dut = new SimulatedDut();
        dut.capacityFps = 0.37 * LINE_64;
        Rfc2544Row row = run(dut, Rfc2544Spec.builder().latency(false).maxTrials(2).precisionPercent(0.01).build());
        assertThat(row.getNdrMpps()).isNull();
        assertThat(row.getError()).contains("no answer within 2 trials (spec.rfc2544.maxTrials): between ")
                .contains(" % of line, not verified");
        assertThat(dut.requests).hasSize(2);
    }

    @Test
    void latencyBackToBackAndLossCurveFollowTheSearch() {
        SimulatedDut dut = new SimulatedDut();
        dut.capacityFps = 0.5 * LINE_64;
        dut.burstCapacity = 12_345;
        Rfc2544Row row = run(dut, Rfc2544Spec.builder().backToBack(true).lossCurve(true).build());
        assertThat(row.getLatency()).extracting(Rfc2544Row.LatencyAt::getNdrPercent).containsExactly(10, 50, 90);
        assertThat(row.getLatency().get(2).getAvgUs()).isGreaterThan(row.getLatency().get(0).getAvgUs());
        // halving stops within 1 % of the longest burst the device takes, and never reports a burst that lost frames
        assertThat(row.getBackToBackFrames()).isBetween(12_345L * 99 / 100, 12_345L);
        // from 100 % down until two successive trials lose nothing: 100..50 lose, 50 and 40 do not
        assertThat(row.getLossCurve()).extracting(Rfc2544Row.LossAt::getLinePercent).containsExactly(100, 90, 80, 70, 60, 50, 40);
        assertThat(row.getLossCurve().get(0).getLossPercent()).isCloseTo(50, within(0.01));
        assertThat(row.getLossCurve().get(6).getLossPercent()).isZero();
    }
}
