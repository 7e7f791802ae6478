package io.nfvlab.api.traffic.kinds;

/** A failed check: a CamelCase reason (the Passed condition's) and a message naming the criterion and the pair. */
public record Verdict(String reason, String message) {
    public static final String PAIR_FAILED = "PairFailed";
    public static final String NO_RATE_FOUND = "NoRateFound";
    public static final String MAX_LOSS = "MaxLossPercentExceeded";
    public static final String MIN_THROUGHPUT = "MinThroughputNotReached";
    public static final String MAX_RTT = "MaxRttExceeded";
    public static final String MIN_MPPS = "MinMppsNotReached";
}
