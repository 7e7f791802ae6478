package io.nfvlab.agent.traffic.rfc2544;

import io.nfvlab.api.traffic.Rfc2544Frames;
import io.nfvlab.api.traffic.Rfc2544Row;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Everything RFC 2544 measures for one frame size, in its order: throughput (NDR and PDR, {@link RateSearch}),
 * latency at 10, 50 and 90 % of the NDR (§26.2 measures it at the throughput rate; NFVbench at fractions of it),
 * back-to-back (§26.4: the longest burst at line rate forwarded without loss, by halving) and the frame-loss rate
 * (§26.3: from 100 % of line down in steps of 10 % until two successive trials lose nothing). Pure but for the
 * trials, which {@link TrialRunner} runs.
 */
public final class FrameSizeRun {
    public static final List<Integer> LATENCY_SHARES = List.of(10, 50, 90);
    /** Bursts are searched up to two seconds at line rate. */
    static final double MAX_BURST_SECONDS = 2;
    static final int MAX_BURST_TRIALS = 24;

    private final Rfc2544Settings s;
    private final TrialRunner runner;
    private final Consumer<String> progress;

    public FrameSizeRun(Rfc2544Settings settings, TrialRunner runner, Consumer<String> progress) {
        this.s = settings;
        this.runner = runner;
        this.progress = progress;
    }

    /** The row of one frame size, and how many trials it took. */
    public Rfc2544Row run(String frameSize) {
        int[] trials = {0};
        TrialRunner counted = r -> {
            trials[0]++;
            return runner.run(r);
        };
        RateSearch.Outcome search = new RateSearch(s, p -> s.fps(frameSize, p),
                (p, d) -> counted.run(TrialRunner.Request.paced(frameSize, s.fps(frameSize, p), d)), progress).run();
        Rfc2544Row.Rfc2544RowBuilder row = Rfc2544Row.builder().frameSize(frameSize);
        List<String> notes = new ArrayList<>();
        RateSearch.Found ndr = search.ndr();
        RateSearch.Found pdr = search.pdr();
        if (ndr.percent() != null) {
            double fps = s.fps(frameSize, ndr.percent());
            row.ndrMpps(round(fps / 1e6, 6)).ndrGbps(round(Rfc2544Frames.wireGbps(frameSize, fps), 6)).ndrPercent(round(ndr.percent(), 3));
        } else {
            notes.add("NDR: " + ndr.note());
        }
        if (pdr.percent() != null) {
            double fps = s.fps(frameSize, pdr.percent());
            row.pdrMpps(round(fps / 1e6, 6)).pdrGbps(round(Rfc2544Frames.wireGbps(frameSize, fps), 6)).pdrPercent(round(pdr.percent(), 3))
                    .pdrLossPercent(pdr.lossPercent() == null ? null : round(pdr.lossPercent(), 4));
        } else {
            notes.add("PDR: " + pdr.note());
        }
        if (s.latency() && ndr.percent() != null) {
            row.latency(latency(counted, frameSize, ndr.percent()));
        }
        if (s.backToBack()) {
            row.backToBackFrames(backToBack(counted, frameSize));
        }
        if (s.lossCurve()) {
            row.lossCurve(lossCurve(counted, frameSize));
        }
        return row.trials(trials[0]).error(notes.isEmpty() ? null : String.join("; ", notes)).build();
    }

    private List<Rfc2544Row.LatencyAt> latency(TrialRunner runner, String frameSize, double ndrPercent) {
        List<Rfc2544Row.LatencyAt> out = new ArrayList<>();
        for (int share : LATENCY_SHARES) {
            progress.accept("latency at " + share + " % of the NDR");
            TrialRunner.TrialResult r = runner.run(new TrialRunner.Request(frameSize, s.fps(frameSize, ndrPercent * share / 100),
                    s.trial(), 0, true));
            Rfc2544Row.LatencyAt.LatencyAtBuilder at = Rfc2544Row.LatencyAt.builder().ndrPercent(share);
            if (r.latency() != null) {
                at.minUs(round(r.latency().minUs(), 2)).avgUs(round(r.latency().avgUs(), 2)).maxUs(round(r.latency().maxUs(), 2))
                        .p50Us(round(r.latency().p50Us(), 2)).p99Us(round(r.latency().p99Us(), 2));
            }
            out.add(at.build());
        }
        return out;
    }

    /**
     * The longest burst forwarded without loss, by halving between 0 and two seconds of line rate; a burst that lost
     * frames says how many got through, which is where the next try starts when that is below the midpoint.
     */
    private long backToBack(TrialRunner runner, String frameSize) {
        long hi = Math.max(1, (long) (s.fps(frameSize, 100) * MAX_BURST_SECONDS));
        long lo = 0;
        long burst = hi;
        for (int i = 0; i < MAX_BURST_TRIALS && burst > lo; i++) {
            progress.accept("back-to-back: burst of " + burst + " frames");
            TrialRunner.TrialResult r = runner.run(new TrialRunner.Request(frameSize, s.fps(frameSize, 100), Duration.ZERO, burst, false));
            long through = -1;
            if (r.sent() >= burst && r.received() >= r.sent()) {
                lo = burst;
            } else {
                hi = burst;
                through = r.received();
            }
            if (hi - lo <= Math.max(1, hi / 100)) {
                break;
            }
            long mid = (lo + hi) / 2;
            burst = through > lo && through < mid ? through : mid;
        }
        return lo;
    }

    /** §26.3: from 100 % of line down by 10 % until two successive trials lose nothing. */
    private List<Rfc2544Row.LossAt> lossCurve(TrialRunner runner, String frameSize) {
        List<Rfc2544Row.LossAt> out = new ArrayList<>();
        int clean = 0;
        for (int percent = 100; percent >= 10 && clean < 2; percent -= 10) {
            progress.accept("frame loss at " + percent + " % of line");
            double fps = s.fps(frameSize, percent);
            TrialRunner.TrialResult r = runner.run(TrialRunner.Request.paced(frameSize, fps, s.trial()));
            double loss = r.lossPercent();
            clean = loss == 0 ? clean + 1 : 0;
            out.add(Rfc2544Row.LossAt.builder().linePercent(percent).lossPercent(round(loss, 4))
                    .achievedPercent(r.achievedFps() < RateSearch.OFFERED_SHARE * fps ? round(s.percent(frameSize, r.achievedFps()), 3) : null)
                    .build());
        }
        return out;
    }

    static double round(double v, int digits) {
        return Double.parseDouble(String.format(Locale.ROOT, "%." + digits + "f", v));
    }
}
