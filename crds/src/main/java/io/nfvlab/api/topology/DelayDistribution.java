package io.nfvlab.api.topology;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a link's jitter is spread around its delay; the names are netem's {@code distribution} tables. */
public enum DelayDistribution {
    /** Delay plus or minus up to the jitter, every value as likely (netem's default). */
    @JsonProperty("uniform") UNIFORM,
    /** A normal distribution whose standard deviation is the jitter. */
    @JsonProperty("normal") NORMAL,
    /** A Pareto distribution (heavy tail of long delays) scaled to the jitter as standard deviation. */
    @JsonProperty("pareto") PARETO,
    /** netem's paretonormal: a quarter normal, three quarters Pareto. */
    @JsonProperty("paretonormal") PARETONORMAL;

    /** The name in the spec and in netem's {@code distribution} option. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
