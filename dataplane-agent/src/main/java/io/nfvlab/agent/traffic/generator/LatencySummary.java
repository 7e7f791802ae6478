package io.nfvlab.agent.traffic.generator;

/**
 * Round-trip latency of the frames that came back, in microseconds: min, mean and max are exact, the percentiles
 * are the lower edge of their bucket in nfvlab-gen's histogram (1 µs buckets up to 100 ms, 1 ms buckets up to 10 s;
 * beyond, the max).
 */
public record LatencySummary(double min, double avg, double max, double p50, double p99) {
}
