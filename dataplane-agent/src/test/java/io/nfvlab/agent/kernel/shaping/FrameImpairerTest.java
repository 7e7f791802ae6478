package io.nfvlab.agent.kernel.shaping;

import io.nfvlab.api.topology.DelayDistribution;
import io.nfvlab.api.topology.Impairments;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The delay line's per-frame decisions, over many frames with a seeded random source. */
class FrameImpairerTest {
    private static final int N = 200_000;
    private static final long MS = 1_000_000;

    private static FrameImpairer impairer(long delayMs, long jitterMs, Double loss, Impairments i) {
        return new FrameImpairer(new DelayLine(Duration.ofMillis(delayMs), Duration.ofMillis(jitterMs), 1000,
                DelayLine.DEFAULT_BYTE_LIMIT, loss, i), new SplittableRandom(17));
    }

    private static Impairments imp(Double corr, Double corrupt, Double dup, Double reorder, Integer gap, DelayDistribution d) {
        return new Impairments(corr, corrupt, dup, reorder, gap, d);
    }

    @Test
    void correlatedLossKeepsItsMeanAndComesInBursts() {
        FrameImpairer independent = impairer(0, 0, 10.0, Impairments.NONE);
        FrameImpairer bursty = impairer(0, 0, 10.0, imp(75.0, null, null, null, null, null));
        int[] lostIndependent = lossesAndRuns(independent);
        int[] lostBursty = lossesAndRuns(bursty);
        assertThat(lostIndependent[0] / (double) N).isBetween(0.095, 0.105);
        assertThat(lostBursty[0] / (double) N).isBetween(0.09, 0.11);
        // mean burst length 1/(1-(p+c(1-p))) = 1/0.225 ≈ 4.4 frames against ≈ 1.1 without correlation
        assertThat(lostIndependent[0] / (double) lostIndependent[1]).isBetween(1.05, 1.15);
        assertThat(lostBursty[0] / (double) lostBursty[1]).isBetween(4.0, 4.9);
    }

    /** {frames lost, runs of losses}. */
    private static int[] lossesAndRuns(FrameImpairer f) {
        int lost = 0, runs = 0;
        boolean last = false;
        for (int k = 0; k < N; k++) {
            boolean l = f.next(k, 100).lost();
            if (l) lost++;
            if (l && !last) runs++;
            last = l;
        }
        return new int[]{lost, runs};
    }

    @Test
    void duplicationAndCorruptionHitTheirShareAndCorruptOnlyBitsAfterTheEthernetHeader() {
        FrameImpairer f = impairer(0, 0, null, imp(null, 2.0, 5.0, null, null, null));
        int dup = 0, corrupt = 0;
        for (int k = 0; k < N; k++) {
            FrameImpairer.Fate fate = f.next(k, 114);
            if (fate.duplicate()) dup++;
            if (fate.corruptBit() >= 0) {
                corrupt++;
                assertThat(fate.corruptBit()).isBetween(0, 100 * 8 - 1);
            }
            assertThat(fate.lost()).isFalse();
        }
        assertThat(dup / (double) N).isBetween(0.045, 0.055);
        assertThat(corrupt / (double) N).isBetween(0.018, 0.022);
    }

    @Test
    void withoutReorderingFramesKeepTheirOrderDespiteJitter() {
        FrameImpairer f = impairer(10, 5, null, Impairments.NONE);
        long last = 0;
        for (int k = 0; k < 10_000; k++) {
            long due = f.next(k * 100_000L, 100).due();
            assertThat(due).isGreaterThanOrEqualTo(last);
            last = due;
        }
    }

    @Test
    void reorderingWithGapSendsOnlyCandidatesEarly() {
        FrameImpairer f = impairer(10, 0, null, imp(null, null, null, 100.0, 5, null));
        // with 100 %, every 5th frame is sent at once and the four before it wait the delay
        for (int k = 0; k < 50; k++) {
            long now = k * MS;
            long due = f.next(now, 100).due();
            assertThat(due).as("frame %d", k).isEqualTo(k % 5 == 4 ? now : now + 10 * MS);
        }
        FrameImpairer quarter = impairer(10, 0, null, imp(null, null, null, 25.0, null, null));
        int early = 0;
        for (int k = 0; k < N; k++) {
            if (quarter.next(k * MS, 100).due() == k * MS) early++;
        }
        assertThat(early / (double) N).isBetween(0.24, 0.26);
    }

    @Test
    void normalJitterHasTheJitterAsStandardDeviationAndUniformStaysWithinIt() {
        double sdNormal = delaySd(DelayDistribution.NORMAL);
        double sdPareto = delaySd(DelayDistribution.PARETO);
        assertThat(sdNormal).isBetween(0.95 * MS, 1.05 * MS);
        // Pareto's tail is cut at four standard deviations (as netem's table is), which takes it to about 0.73
        assertThat(sdPareto).isBetween(0.65 * MS, 0.8 * MS);
        FrameImpairer uniform = impairer(100, 1, null, Impairments.NONE);
        for (int k = 0; k < 10_000; k++) {
            // frames a second apart, so keeping order never moves one
            long now = k * 1000 * MS;
            assertThat(uniform.next(now, 100).due() - now).isBetween(99 * MS, 101 * MS);
        }
    }

    /** Standard deviation of the delay with 1 ms jitter, frames far enough apart that order never moves one. */
    private static double delaySd(DelayDistribution d) {
        FrameImpairer f = impairer(100, 1, null, imp(null, null, null, null, null, d));
        double sum = 0, sq = 0;
        for (int k = 0; k < N; k++) {
            long now = k * 1000 * MS;
            double x = f.next(now, 100).due() - now - 100 * MS;
            sum += x;
            sq += x * x;
        }
        double mean = sum / N;
        return Math.sqrt(sq / N - mean * mean);
    }
}
