package io.nfvlab.api.topology;

import java.time.Duration;

/**
 * {@link LinkParams} with its durations parsed: what code that shapes a link reads. The wire format (strings such as
 * "20ms") stays in {@code LinkParams}, which the CRDs describe; this view is made from it once, by
 * {@link LinkParams#parsed()}. Unset values are null, as in {@code LinkParams}; {@code impairments} is never null.
 */
public record ParsedLinkParams(Double bandwidthMbps, Duration delay, Duration jitter, Double lossPercent,
                               Integer maxQueueSize, Integer mtu, LinkState state, Impairments impairments) {
    public static final ParsedLinkParams NONE = new ParsedLinkParams(null, null, null, null, null, null, null, Impairments.NONE);

    public ParsedLinkParams {
        impairments = impairments == null ? Impairments.NONE : impairments;
    }

    /** True when any traffic-control parameter is set (see {@link LinkParams#isShaped()}). */
    public boolean shaped() {
        return bandwidthMbps != null || delay != null || jitter != null || lossPercent != null || maxQueueSize != null
                || impairments.any();
    }

    public boolean down() {
        return state == LinkState.DOWN;
    }
}
