package io.nfvlab.agent.traffic.rfc2544;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import java.util.function.DoubleFunction;

/**
 * The NDR and the PDR of one frame size from one search whose trials both use, in the manner of FD.io CSIT's
 * MLRsearch: every trial counts for both loss ratios (a rate that loses 0.05 % fails the NDR and passes a 0.1 % PDR).
 * For each ratio the search keeps the highest rate that passed and the lowest that failed, and tries between them
 * until they are closer than the precision; after a failing trial it tries the rate the device under test forwarded
 * when that is lower than the midpoint (a device that forwards 4 Mpps of 10 offered is tried at 4 next, not at 5).
 *
 * <p>Trials grow longer: the search narrows with short trials, then runs the final trial (repeated as asked) at the
 * rate found. A short pass says little about a long run, so a failed final trial makes that rate the new upper bound
 * and the search for that ratio goes on below it with final-length trials only. A short failure counts for every
 * length (a longer trial does not lose less), but a short trial below the maximum that fails losing under 1 % is
 * repeated once and the rate fails only if the repeat fails too: on a shared node one trial can lose a few frames to
 * other work. Pure: trials
 * are passed in.
 */
public final class RateSearch {
    /** A trial passes only if the generator offered at least this share of the rate asked. */
    public static final double OFFERED_SHARE = 0.99;
    /**
     * A failed short trial that lost less than this is repeated once: a few frames lost to other work on the node,
     * unlike an overload, which loses its excess (1 % and more once the rate is 1 % above what the device carries).
     */
    public static final double RECHECK_BELOW_LOSS_PERCENT = 1.0;

    /** One trial as the search saw it. */
    public record Step(double percent, Duration duration, boolean finalTrial, TrialRunner.TrialResult result) {
        boolean offered(double fps) {
            return result.achievedFps() >= OFFERED_SHARE * fps;
        }
    }

    /** The rate found for one loss ratio: percent of line, or null when no rate passed; loss of its last trial. */
    public record Found(Double percent, Double lossPercent, String note) {
    }

    /** Both answers and every trial in order. */
    public record Outcome(Found ndr, Found pdr, List<Step> steps) {
    }

    private final Rfc2544Settings s;
    private final DoubleFunction<Double> fpsOf;
    private final Trial trial;
    private final Consumer<String> progress;
    private final List<Step> steps = new ArrayList<>();
    private final List<Double> offeredFps = new ArrayList<>();

    /** Runs a trial at a rate (percent of line) for a duration. */
    @FunctionalInterface
    public interface Trial {
        TrialRunner.TrialResult run(double percent, Duration duration);
    }

    /**
     * @param fpsOf    percent of line → frames per second for this frame size
     * @param progress a one-line message after each trial
     */
    public RateSearch(Rfc2544Settings settings, DoubleFunction<Double> fpsOf, Trial trial, Consumer<String> progress) {
        this.s = settings;
        this.fpsOf = fpsOf;
        this.trial = trial;
        this.progress = progress;
    }

    /** One loss ratio's state: pass and fail bounds come from the shared trials. */
    private final class Target {
        final String name;
        final double ratio;
        /** after a failed final trial, only final-length passes count */
        boolean longOnly;
        Found found;

        Target(String name, double ratio) {
            this.name = name;
            this.ratio = ratio;
        }

        boolean passes(Step step, int i) {
            return step.offered(offeredFps.get(i)) && step.result().lossPercent() <= ratio;
        }

        /** Lowest rate that failed, at any length (or above the range), unless its repeat passed. */
        double upper() {
            double u = Double.POSITIVE_INFINITY;
            for (int i = 0; i < steps.size(); i++) {
                if (!passes(steps.get(i), i) && !passedOnRepeat(i)) {
                    u = Math.min(u, steps.get(i).percent());
                }
            }
            return u;
        }

        /** Whether a later trial of the same rate and length passed (the repeat of a failed short trial). */
        private boolean passedOnRepeat(int failed) {
            Step f = steps.get(failed);
            for (int j = failed + 1; j < steps.size(); j++) {
                Step st = steps.get(j);
                if (st.percent() == f.percent() && st.finalTrial() == f.finalTrial() && passes(st, j)) {
                    return true;
                }
            }
            return false;
        }

        /** Highest rate below the upper bound that passed (final-length only once a final trial failed). */
        OptionalDouble lower() {
            double u = upper();
            OptionalDouble l = OptionalDouble.empty();
            for (int i = 0; i < steps.size(); i++) {
                Step st = steps.get(i);
                if (passes(st, i) && st.percent() < u && (!longOnly || st.finalTrial()) && (l.isEmpty() || st.percent() > l.getAsDouble())) {
                    l = OptionalDouble.of(st.percent());
                }
            }
            return l;
        }

        long finalPassesAt(double percent) {
            int n = 0;
            for (int i = 0; i < steps.size(); i++) {
                Step st = steps.get(i);
                if (st.finalTrial() && st.percent() == percent && passes(st, i)) {
                    n++;
                }
            }
            return n;
        }

        boolean failedAt(double percent) {
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).percent() == percent && !passes(steps.get(i), i)) {
                    return true;
                }
            }
            return false;
        }

        /** The hint a failed trial gives: the rate the device under test forwarded, in percent of line. */
        OptionalDouble forwardedBelow(double upper) {
            for (int i = steps.size() - 1; i >= 0; i--) {
                Step st = steps.get(i);
                if (st.percent() == upper && st.result().sent() > 0) {
                    double fwd = upper * Math.min(st.result().achievedFps() / offeredFps.get(i), 1.0)
                            * st.result().received() / st.result().sent();
                    return OptionalDouble.of(fwd);
                }
            }
            return OptionalDouble.empty();
        }

        /** The next trial this ratio needs (rate and whether it is a final one), or null when it is decided. */
        double[] next() {
            if (found != null) {
                return null;
            }
            double u = upper();
            OptionalDouble l = lower();
            if (l.isEmpty()) {
                if (u <= s.minPercent()) {
                    found = new Found(null, null, "no rate from " + fmt(s.minPercent()) + " % of line up met " + fmt(ratio) + " % loss");
                    return null;
                }
                double rate = u == Double.POSITIVE_INFINITY ? s.maxPercent()
                        : u - s.minPercent() <= s.precisionPercent() ? s.minPercent() : candidate(s.minPercent(), u);
                return new double[]{rate, longOnly ? 1 : 0};
            }
            double low = l.getAsDouble();
            if (u - low > s.precisionPercent() && low < s.maxPercent()) {
                return new double[]{candidate(low, u), longOnly ? 1 : 0};
            }
            if (finalPassesAt(low) >= s.repeats()) {
                found = new Found(low, lossAt(low), null);
                return null;
            }
            return new double[]{low, 1};
        }

        /** Between a passing (or the minimum) and a failing rate: the midpoint, or the forwarded rate when lower. */
        private double candidate(double low, double u) {
            double mid = (low + u) / 2;
            OptionalDouble fwd = forwardedBelow(u);
            double c = fwd.isPresent() && fwd.getAsDouble() < mid && fwd.getAsDouble() > low + s.precisionPercent() / 2 ? fwd.getAsDouble() : mid;
            return Math.max(s.minPercent(), c);
        }

        private Double lossAt(double percent) {
            for (int i = steps.size() - 1; i >= 0; i--) {
                if (steps.get(i).percent() == percent) {
                    return steps.get(i).result().lossPercent();
                }
            }
            return null;
        }
    }

    public Outcome run() {
        Target pdr = new Target("PDR", s.pdrLossPercent());
        Target ndr = new Target("NDR", s.ndrLossPercent());
        List<Target> targets = List.of(pdr, ndr);
        while (true) {
            double[] next = null;
            Target who = null;
            for (Target t : targets) {
                next = t.next();
                if (next != null) {
                    who = t;
                    break;
                }
            }
            if (next == null) {
                break;
            }
            if (steps.size() >= s.maxTrials()) {
                for (Target t : targets) {
                    if (t.found == null) {
                        OptionalDouble l = t.lower();
                        t.found = new Found(null, null, "no answer within " + s.maxTrials() + " trials (spec.rfc2544.maxTrials): "
                                + bracket(l, t.upper()) + ", not verified");
                    }
                }
                break;
            }
            boolean isFinal = next[1] == 1;
            Duration d = isFinal ? s.finalTrial() : s.trial();
            double fps = fpsOf.apply(next[0]);
            TrialRunner.TrialResult r = trial.run(next[0], d);
            offeredFps.add(fps);
            Step step = new Step(next[0], d, isFinal, r);
            steps.add(step);
            int at = steps.size() - 1;
            if (!isFinal && targets.stream().anyMatch(t -> t.found == null && !t.passes(step, at)) && r.lossPercent() < RECHECK_BELOW_LOSS_PERCENT && next[0] < s.maxPercent()
                    && firstAt(next[0]) && steps.size() < s.maxTrials()) {
                // on a shared node a burst of other work can make one short trial lose a few frames the device would
                // carry: such a trial is run once more, and the rate fails only if the repeat does
                TrialRunner.TrialResult again = trial.run(next[0], d);
                offeredFps.add(fps);
                steps.add(new Step(next[0], d, false, again));
            }
            if (isFinal && who.failedAt(next[0])) {
                // the short trials' pass did not hold over the final trial's length
                who.longOnly = true;
            }
            progress.accept(String.format(Locale.ROOT, "trial %d%s at %s %% of line: %.4f %% loss%s; %s", steps.size(),
                    isFinal ? " (final)" : "", fmt(next[0]), r.lossPercent(), shortfall(at), bounds(ndr) + ", " + bounds(pdr)));
        }
        Found pdrFound = pdr.found;
        if (ndr.found.percent() != null && (pdrFound.percent() == null || pdrFound.percent() < ndr.found.percent())) {
            // a rate verified within the NDR's ratio is within the PDR's too: noise let the NDR's search pass a rate
            // above the one the PDR's search had already settled on
            pdrFound = ndr.found;
        }
        return new Outcome(ndr.found, pdrFound, List.copyOf(steps));
    }

    /** Why a trial without loss can still fail: the generator offered less than {@link #OFFERED_SHARE} of the rate. */
    private String shortfall(int at) {
        Step step = steps.get(at);
        double fps = offeredFps.get(at);
        return step.offered(fps) ? "" : String.format(Locale.ROOT, ", offered only %.1f %% of it (the device under test "
                + "took no more, or the generator lacked CPU)", 100 * step.result().achievedFps() / fps);
    }

    private boolean firstAt(double percent) {
        return steps.stream().filter(st -> st.percent() == percent).count() == 1;
    }

    private String bounds(Target t) {
        if (t.found != null) {
            return t.name + (t.found.percent() == null ? " none" : " " + fmt(t.found.percent()) + " %");
        }
        OptionalDouble l = t.lower();
        double u = t.upper();
        return t.name + " in [" + (l.isPresent() ? fmt(l.getAsDouble()) : "-") + ", " + (u == Double.POSITIVE_INFINITY ? "-" : fmt(u)) + "]";
    }

    /** Where a ratio's answer lies when the trials ran out. */
    private static String bracket(OptionalDouble lower, double upper) {
        String u = upper == Double.POSITIVE_INFINITY ? null : fmt(upper);
        if (lower.isPresent()) {
            return u == null ? "at least " + fmt(lower.getAsDouble()) + " % of line" : "between " + fmt(lower.getAsDouble()) + " and " + u + " % of line";
        }
        return u == null ? "no trial decided it" : "below " + u + " % of line";
    }

    static String fmt(double d) {
        return io.nfvlab.api.traffic.TrafficSummary.number(d);
    }
}
