package io.nfvlab.api.topology;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;
import lombok.experimental.SuperBuilder;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Mininet TCLink parameters and netem's impairments. Like Mininet, they are applied to both ends of the link. Which
 * kernel or agent mechanism carries each is the agent's decision (dataplane-agent {@code kernel.shaping.LinkShaping}).
 */
@Data
@SuperBuilder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
@ValidationRule(value = "!has(self.bandwidthMbps) || self.bandwidthMbps > 0.0", message = "bandwidthMbps must be greater than 0")
@ValidationRule(value = "!has(self.jitter) || has(self.delay)", message = "jitter needs a delay")
// each frame waits in the agent's delay line for up to delay + jitter: bounding both bounds what a line holds
@ValidationRule(value = "!has(self.delay) || duration(self.delay) <= duration('" + LinkParams.MAX_DELAY_TEXT + "')",
        fieldPath = ".delay", message = "delay must be at most " + LinkParams.MAX_DELAY_TEXT)
@ValidationRule(value = "!has(self.jitter) || duration(self.jitter) <= duration('" + LinkParams.MAX_DELAY_TEXT + "')",
        fieldPath = ".jitter", message = "jitter must be at most " + LinkParams.MAX_DELAY_TEXT)
@ValidationRule(value = "!has(self.reorderPercent) || has(self.delay)", message = "reorderPercent needs a delay (reordered frames skip it)")
@ValidationRule(value = "!has(self.reorderGap) || has(self.reorderPercent)", message = "reorderGap needs reorderPercent")
@ValidationRule(value = "!has(self.lossCorrelationPercent) || has(self.lossPercent)", message = "lossCorrelationPercent needs lossPercent")
@ValidationRule(value = "!has(self.delayDistribution) || has(self.jitter)", message = "delayDistribution needs a jitter (it shapes the jitter)")
public class LinkParams {
    @Max(1000000)
    @JsonPropertyDescription("Rate limit in Mbit/s (token bucket on each end); greater than 0; not capped at 1000 as in Mininet.")
    private Double bandwidthMbps;

    @Pattern(DURATION)
    @Size(max = 16)
    @JsonPropertyDescription("One-way delay in each direction (a round trip takes twice as long), e.g. 5ms or 100us: a number and us, ms or s, "
            + "no space; at most 10s.")
    private String delay;

    @Pattern(DURATION)
    @Size(max = 16)
    @JsonPropertyDescription("Delay variation in each direction, e.g. 1ms: each frame waits the delay plus or minus up to this much (see "
            + "delayDistribution); at most 10s. The agent's delay line keeps frames in order; netem, where the kernel has "
            + "sch_netem, lets a jittered frame overtake as netem does.")
    private String jitter;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Loss in percent (0-100) applied on each end (random drop on egress), as Mininet's loss.")
    private Double lossPercent;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("How much each lost frame makes the next one likelier to be lost, in percent (0-100), as netem's loss correlation: "
            + "0 (default) loses frames independently; higher values lose them in bursts. Needs lossPercent.")
    private Double lossCorrelationPercent;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Frames corrupted in percent (0-100) in each direction, as netem's corrupt: one random bit of the frame is "
            + "flipped (the agent's delay line spares the Ethernet header), so the receiver sees a bad IP, TCP or UDP "
            + "checksum and drops the frame.")
    private Double corruptPercent;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Frames sent twice in percent (0-100) in each direction, as netem's duplicate (ping shows DUP!).")
    private Double duplicatePercent;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Frames sent at once, overtaking the delayed ones, in percent (0-100) in each direction, as netem's reorder; "
            + "needs a delay. With reorderGap N only every Nth frame may be sent early.")
    private Double reorderPercent;

    @Min(1)
    @Max(1000000)
    @JsonPropertyDescription("With reorderPercent: only every Nth frame is a candidate for reordering (netem's gap; default 1, every frame).")
    private Integer reorderGap;

    @JsonPropertyDescription("How the jitter is distributed around the delay: uniform (default: delay plus or minus up to jitter), normal, "
            + "pareto or paretonormal (jitter is then the standard deviation), as netem's distribution. Needs a jitter.")
    private DelayDistribution delayDistribution;

    @Min(1)
    @Max(1000000)
    @JsonPropertyDescription("Queue length in packets on each end, as Mininet's max_queue_size (netem's limit, or the delay line's queue, when "
            + "either carries the link's delay or impairments).")
    private Integer maxQueueSize;

    @Min(68)
    @Max(65535)
    @JsonPropertyDescription("MTU of both ends.")
    private Integer mtu;

    @JsonPropertyDescription("up (default) or down: the administrative state of both ends, as Mininet's `link a b down`.")
    private LinkState state;

    /**
     * The wire format of {@link #delay} and {@link #jitter}; {@link #parseDuration} reads it. At most six digits on
     * either side of the point: enough for 10s in microseconds, and every match is also a Go/CEL duration literal.
     */
    public static final String DURATION = "^[0-9]{1,6}(\\.[0-9]{1,6})?(us|ms|s)$";
    /** Longest delay and longest jitter of a link, as text in {@link #DURATION} form. */
    public static final String MAX_DELAY_TEXT = "10s";
    public static final Duration MAX_DELAY = Duration.ofSeconds(10);
    private static final java.util.regex.Pattern DURATION_PATTERN = java.util.regex.Pattern.compile(DURATION);

    /**
     * "20ms", "100us", "1.5s" as a {@link Duration} (rounded to the nanosecond); null for null.
     *
     * @throws IllegalArgumentException when {@code text} does not match {@link #DURATION} or is too long for a Duration
     */
    public static Duration parseDuration(String text) {
        if (text == null) {
            return null;
        }
        if (!DURATION_PATTERN.matcher(text).matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration such as 5ms, 100us or 1s");
        }
        String unit = text.endsWith("us") ? "us" : text.endsWith("ms") ? "ms" : "s";
        int scale = switch (unit) {
            case "us" -> 3;
            case "ms" -> 6;
            default -> 9;
        };
        try {
            long nanos = new BigDecimal(text.substring(0, text.length() - unit.length())).movePointRight(scale)
                    .setScale(0, RoundingMode.HALF_UP).longValueExact();
            return Duration.ofNanos(nanos);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("\"" + text + "\" is too long a duration");
        }
    }

    /**
     * These parameters with their durations parsed.
     *
     * @throws IllegalArgumentException when delay or jitter is not a {@link #DURATION}
     */
    public ParsedLinkParams parsed() {
        return new ParsedLinkParams(bandwidthMbps, parseDuration(delay), parseDuration(jitter), lossPercent,
                maxQueueSize, mtu, state, new Impairments(lossCorrelationPercent, corruptPercent, duplicatePercent,
                reorderPercent, reorderGap, delayDistribution));
    }

    /** This object's values, with unset ones taken from {@code defaults}. */
    public LinkParams withDefaults(LinkParams defaults) {
        if (defaults == null) {
            return copyParams(this);
        }
        LinkParams merged = copyParams(this);
        if (merged.bandwidthMbps == null) merged.bandwidthMbps = defaults.bandwidthMbps;
        if (merged.delay == null) merged.delay = defaults.delay;
        if (merged.jitter == null) merged.jitter = defaults.jitter;
        if (merged.lossPercent == null) merged.lossPercent = defaults.lossPercent;
        if (merged.maxQueueSize == null) merged.maxQueueSize = defaults.maxQueueSize;
        if (merged.mtu == null) merged.mtu = defaults.mtu;
        if (merged.state == null) merged.state = defaults.state;
        if (merged.lossCorrelationPercent == null) merged.lossCorrelationPercent = defaults.lossCorrelationPercent;
        if (merged.corruptPercent == null) merged.corruptPercent = defaults.corruptPercent;
        if (merged.duplicatePercent == null) merged.duplicatePercent = defaults.duplicatePercent;
        if (merged.reorderPercent == null) merged.reorderPercent = defaults.reorderPercent;
        if (merged.reorderGap == null) merged.reorderGap = defaults.reorderGap;
        if (merged.delayDistribution == null) merged.delayDistribution = defaults.delayDistribution;
        return merged;
    }

    public static LinkParams copyParams(LinkParams p) {
        LinkParams c = new LinkParams();
        if (p != null) {
            c.bandwidthMbps = p.bandwidthMbps;
            c.delay = p.delay;
            c.jitter = p.jitter;
            c.lossPercent = p.lossPercent;
            c.maxQueueSize = p.maxQueueSize;
            c.mtu = p.mtu;
            c.state = p.state;
            c.lossCorrelationPercent = p.lossCorrelationPercent;
            c.corruptPercent = p.corruptPercent;
            c.duplicatePercent = p.duplicatePercent;
            c.reorderPercent = p.reorderPercent;
            c.reorderGap = p.reorderGap;
            c.delayDistribution = p.delayDistribution;
        }
        return c;
    }

    /** True when any traffic-control parameter is set (the link needs qdiscs). */
    @JsonIgnore
    public boolean isShaped() {
        return bandwidthMbps != null || delay != null || jitter != null || lossPercent != null || maxQueueSize != null
                || lossCorrelationPercent != null || corruptPercent != null || duplicatePercent != null
                || reorderPercent != null || reorderGap != null || delayDistribution != null;
    }

    @JsonIgnore
    public boolean isDown() {
        return state == LinkState.DOWN;
    }
}
