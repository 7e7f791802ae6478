package io.nfvlab.api.topology;

/**
 * The impairments of a link beyond Mininet's TCLink (netem's corrupt, duplicate, reorder/gap, loss correlation and
 * delay distribution), as {@link LinkParams} holds them; unset values are null.
 */
public record Impairments(Double lossCorrelationPercent, Double corruptPercent, Double duplicatePercent,
                          Double reorderPercent, Integer reorderGap, DelayDistribution distribution) {
    public static final Impairments NONE = new Impairments(null, null, null, null, null, null);

    /** True when any of them is set. */
    public boolean any() {
        return !equals(NONE);
    }

    /** Reordering's gap: netem reads an unset (or zero) gap as 1, every frame a candidate. */
    public int gapOrDefault() {
        return reorderGap == null || reorderGap < 1 ? 1 : reorderGap;
    }

    /** The distribution, uniform when unset. */
    public DelayDistribution distributionOrDefault() {
        return distribution == null ? DelayDistribution.UNIFORM : distribution;
    }
}
