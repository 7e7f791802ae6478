package io.nfvlab.agent.traffic.rfc2544;

import io.nfvlab.api.traffic.Rfc2544Frames;
import io.nfvlab.api.traffic.Rfc2544Spec;
import io.nfvlab.api.traffic.kinds.Rfc2544Kind;

import java.time.Duration;
import java.util.List;

/**
 * An rfc2544 job's settings with the defaults the TrafficTest's descriptions state. Rates are in percent of line
 * rate, as the spec and RFC 2544 state them; {@link #fps} turns one into frames per second for a frame size.
 */
public record Rfc2544Settings(List<String> frameSizes, double lineRateGbps, double minPercent, double maxPercent,
                              double precisionPercent, double ndrLossPercent, double pdrLossPercent, Duration trial,
                              Duration finalTrial, int repeats, int maxTrials, boolean latency, boolean backToBack,
                              boolean lossCurve) {
    public static final int DEFAULT_TRIAL_SECONDS = 1;
    public static final int DEFAULT_FINAL_TRIAL_SECONDS = 5;
    public static final int DEFAULT_MAX_TRIALS = 20;
    public static final double DEFAULT_PRECISION_PERCENT = 2;

    /**
     * @param dpdk whether the job runs on the DPDK path (latency defaults to on there, and the line rate to 10 Gbit/s)
     * @throws IllegalArgumentException when the kernel path has no line rate (the operator resolves it from the links)
     */
    public static Rfc2544Settings of(Rfc2544Spec spec, boolean dpdk) {
        Rfc2544Spec s = spec == null ? new Rfc2544Spec() : spec;
        Double line = s.getLineRateGbps();
        if (line == null && !dpdk) {
            throw new IllegalArgumentException("spec.rfc2544.lineRateGbps is not set and the operator found no shaped link");
        }
        double max = s.getMaxRatePercent() == null ? Rfc2544Spec.DEFAULT_MAX_PERCENT : s.getMaxRatePercent();
        return new Rfc2544Settings(Rfc2544Kind.frameSizes(s),
                line == null ? Rfc2544Spec.DEFAULT_LINE_RATE_GBPS_VHOST_USER : line,
                s.getMinRatePercent() == null ? Rfc2544Spec.DEFAULT_MIN_PERCENT : s.getMinRatePercent(),
                max,
                (s.getPrecisionPercent() == null ? DEFAULT_PRECISION_PERCENT : s.getPrecisionPercent()) * max / 100,
                s.getNdrLossPercent() == null ? 0 : s.getNdrLossPercent(),
                s.getPdrLossPercent() == null ? Rfc2544Spec.DEFAULT_PDR_LOSS_PERCENT : s.getPdrLossPercent(),
                Duration.ofSeconds(s.getTrialSeconds() == null ? DEFAULT_TRIAL_SECONDS : s.getTrialSeconds()),
                Duration.ofSeconds(s.getFinalTrialSeconds() == null ? DEFAULT_FINAL_TRIAL_SECONDS : s.getFinalTrialSeconds()),
                s.getRepeats() == null ? 1 : s.getRepeats(),
                s.getMaxTrials() == null ? DEFAULT_MAX_TRIALS : s.getMaxTrials(),
                s.getLatency() == null ? dpdk : s.getLatency(),
                Boolean.TRUE.equals(s.getBackToBack()),
                Boolean.TRUE.equals(s.getLossCurve()));
    }

    /** Frames per second at {@code percent} of line rate. */
    public double fps(String frameSize, double percent) {
        return Rfc2544Frames.lineFps(frameSize, lineRateGbps) * percent / 100;
    }

    /** Percent of line rate of a frame rate. */
    public double percent(String frameSize, double fps) {
        return fps * 100 / Rfc2544Frames.lineFps(frameSize, lineRateGbps);
    }
}
