package io.nfvlab.agent.traffic.rfc2544;

import java.time.Duration;

/**
 * Runs one RFC 2544 trial: offers frames of one size at a rate for a duration (or one burst) and counts what came
 * back. The search is written against this alone, so that it is tested with a simulated device under test; the agent
 * has one implementation per path (iperf3 between namespaces, the DPDK generator on a vhost-user port). Blocking; a
 * trial that cannot run throws {@link io.nfvlab.agent.traffic.TrafficJobException}.
 */
public interface TrialRunner {
    TrialResult run(Request request);

    /**
     * @param frameSize   bytes including the FCS, or IMIX
     * @param fps         offered frames per second (ignored for a burst)
     * @param duration    how long to offer them
     * @param burstFrames 0 for a paced trial; otherwise one burst of this many frames back to back at line rate
     * @param latency     whether the trial should time frames (the DPDK generator always does; iperf3 cannot)
     */
    record Request(String frameSize, double fps, Duration duration, long burstFrames, boolean latency) {
        public static Request paced(String frameSize, double fps, Duration duration) {
            return new Request(frameSize, fps, duration, 0, false);
        }
    }

    /** Latency of the frames of one trial, µs. */
    record Latency(double minUs, double avgUs, double maxUs, double p50Us, double p99Us) {
    }

    /**
     * @param sent        frames the generator sent
     * @param received    frames that came back (or reached the receiver)
     * @param achievedFps the rate the generator actually offered: below the requested rate the trial says nothing
     *                    about the device under test
     * @param latency     null when not measured or nothing came back
     */
    record TrialResult(long sent, long received, double achievedFps, Latency latency) {
        /** Lost frames in percent of those sent (frames received twice do not make it negative). */
        public double lossPercent() {
            return sent == 0 ? 100 : Math.max(0, sent - received) * 100.0 / sent;
        }
    }
}
