package io.nfvlab.agent.traffic.generator;

/**
 * Round-trip latency of the frames that came back, in microseconds: min, mean and max are exact, the percentiles
 * come from nfvlab-gen's histogram of 1 µs buckets (so they are whole microseconds).
 */
public record LatencySummary(double min, double avg, double max, double p50, double p99) {
}
