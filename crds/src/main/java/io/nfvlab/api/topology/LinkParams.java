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

/** Mininet TCLink parameters. Like Mininet, they are applied to both ends of the link. */
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
    @JsonPropertyDescription("Delay variation in each direction, e.g. 1ms: each frame waits the delay plus or minus up to this much, and frames "
            + "keep their order; at most 10s.")
    private String jitter;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Loss in percent (0-100) applied on each end (random drop on egress), as Mininet's loss.")
    private Double lossPercent;

    @Min(1)
    @Max(1000000)
    @JsonPropertyDescription("Queue length in packets on each end, as Mininet's max_queue_size (the delay line's queue when the link has a delay or jitter).")
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
                maxQueueSize, mtu, state);
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
        }
        return c;
    }

    /** True when any traffic-control parameter is set (the link needs qdiscs). */
    @JsonIgnore
    public boolean isShaped() {
        return bandwidthMbps != null || delay != null || jitter != null || lossPercent != null || maxQueueSize != null;
    }

    @JsonIgnore
    public boolean isDown() {
        return state == LinkState.DOWN;
    }
}
