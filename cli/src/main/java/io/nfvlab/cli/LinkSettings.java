package io.nfvlab.cli;

import io.nfvlab.api.topology.DelayDistribution;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.LinkState;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The words after {@code link NODE1 NODE2}: {@code up}, {@code down} and {@code KEY=VALUE} settings such as
 * {@code delay=10ms loss=1}. Keys are Mininet's TCLink names where it has them ({@code bw delay jitter loss
 * max_queue_size}), netem's for the rest ({@code corrupt duplicate reorder gap loss_correlation distribution}), and
 * the spec's field names ({@code bandwidthMbps}, …) too; a bare number of delay or jitter is milliseconds, as in
 * Mininet. Both the prompt's {@code link} and {@code run --link tc,…} read them here. {@code KEY=none} removes what the overrides said, so the link's
 * own value applies again. Values are checked here as the validator checks them, so a typo is named before the
 * topology is touched.
 */
public final class LinkSettings {
    /** One settable parameter: how to parse its text, and where it goes (null clears it). */
    private record Key(String field, Function<String, Object> parse, BiConsumer<LinkParams, Object> set) {
    }

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        key(List.of("bw", "bandwidthMbps"), "bandwidthMbps", v -> positive(v, 1_000_000), (p, x) -> p.setBandwidthMbps((Double) x));
        key(List.of("delay"), "delay", LinkSettings::duration, (p, x) -> p.setDelay((String) x));
        key(List.of("jitter"), "jitter", LinkSettings::duration, (p, x) -> p.setJitter((String) x));
        key(List.of("loss", "lossPercent"), "lossPercent", LinkSettings::percent, (p, x) -> p.setLossPercent((Double) x));
        key(List.of("max_queue_size", "maxQueueSize"), "maxQueueSize", v -> integer(v, 1, 1_000_000), (p, x) -> p.setMaxQueueSize((Integer) x));
        key(List.of("mtu"), "mtu", v -> integer(v, 68, 65535), (p, x) -> p.setMtu((Integer) x));
        key(List.of("loss_correlation", "lossCorrelationPercent"), "lossCorrelationPercent", LinkSettings::percent,
                (p, x) -> p.setLossCorrelationPercent((Double) x));
        key(List.of("corrupt", "corruptPercent"), "corruptPercent", LinkSettings::percent, (p, x) -> p.setCorruptPercent((Double) x));
        key(List.of("duplicate", "duplicatePercent"), "duplicatePercent", LinkSettings::percent, (p, x) -> p.setDuplicatePercent((Double) x));
        key(List.of("reorder", "reorderPercent"), "reorderPercent", LinkSettings::percent, (p, x) -> p.setReorderPercent((Double) x));
        key(List.of("gap", "reorderGap"), "reorderGap", v -> integer(v, 1, 1_000_000), (p, x) -> p.setReorderGap((Integer) x));
        key(List.of("distribution", "delayDistribution"), "delayDistribution", LinkSettings::distribution,
                (p, x) -> p.setDelayDistribution((DelayDistribution) x));
    }

    private static void key(List<String> names, String field, Function<String, Object> parse, BiConsumer<LinkParams, Object> set) {
        for (String n : names) {
            KEYS.put(n.toLowerCase(Locale.ROOT), new Key(field, parse, set));
        }
    }

    private final LinkState state;
    private final Map<String, Object> values;
    private final List<String> words;

    private LinkSettings(LinkState state, Map<String, Object> values, List<String> words) {
        this.state = state;
        this.values = values;
        this.words = words;
    }

    /**
     * @throws IllegalArgumentException naming the word, key or value that is wrong, and what would be right
     */
    public static LinkSettings parse(List<String> words) {
        if (words == null || words.isEmpty()) {
            throw new IllegalArgumentException("say up, down or KEY=VALUE settings, e.g. link s1 s2 delay=10ms loss=1");
        }
        LinkState state = null;
        Map<String, Object> values = new LinkedHashMap<>();
        for (String w : words) {
            String lower = w.toLowerCase(Locale.ROOT);
            if (lower.equals("up") || lower.equals("down")) {
                if (state != null) {
                    throw new IllegalArgumentException("say up or down once, not both (" + String.join(" ", words) + ")");
                }
                state = lower.equals("up") ? LinkState.UP : LinkState.DOWN;
                continue;
            }
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("\"" + w + "\" is neither up, down nor KEY=VALUE (e.g. delay=10ms)");
            }
            String name = w.substring(0, eq);
            String value = w.substring(eq + 1);
            Key key = KEYS.get(name.toLowerCase(Locale.ROOT));
            if (key == null) {
                throw new IllegalArgumentException("unknown link parameter \"" + name + "\"; known: " + String.join(", ", knownKeys()));
            }
            if (values.containsKey(key.field())) {
                throw new IllegalArgumentException(key.field() + " is given twice");
            }
            Object parsed;
            try {
                parsed = value.equalsIgnoreCase("none") ? null : key.parse().apply(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + "=" + value + ": " + e.getMessage());
            }
            values.put(key.field(), parsed);
        }
        return new LinkSettings(state, values, List.copyOf(words));
    }

    /** The state asked for (null: not mentioned). */
    public LinkState state() {
        return state;
    }

    /** True when parameters besides the state were given. */
    public boolean hasParameters() {
        return !values.isEmpty();
    }

    /** Writes the given values into {@code p} (a value given as none becomes null); returns {@code p}. */
    public <P extends LinkParams> P applyTo(P p) {
        values.forEach((field, v) -> KEYS.values().stream().filter(k -> k.field().equals(field)).findFirst()
                .orElseThrow().set().accept(p, v));
        if (state != null) {
            p.setState(state);
        }
        return p;
    }

    /** The words as the user gave them, for the confirmation line. */
    public String text() {
        return String.join(" ", words);
    }

    private static List<String> knownKeys() {
        return List.of("bw", "delay", "jitter", "loss", "max_queue_size", "mtu", "loss_correlation", "corrupt", "duplicate",
                "reorder", "gap", "distribution");
    }

    private static Object duration(String value) {
        // Mininet takes a bare number as milliseconds; the spec wants the unit
        String v = value.matches("[0-9]+(\\.[0-9]+)?") ? value + "ms" : value;
        java.time.Duration d = LinkParams.parseDuration(v);
        if (d.compareTo(LinkParams.MAX_DELAY) > 0) {
            throw new IllegalArgumentException("must be at most " + LinkParams.MAX_DELAY_TEXT);
        }
        return v;
    }

    private static Object percent(String v) {
        double d = number(v);
        if (d < 0 || d > 100) {
            throw new IllegalArgumentException("must be between 0 and 100 (percent)");
        }
        return d;
    }

    private static Object positive(String v, double max) {
        double d = number(v);
        if (d <= 0 || d > max) {
            throw new IllegalArgumentException("must be greater than 0 and at most " + (long) max + " (Mbit/s)");
        }
        return d;
    }

    private static double number(String v) {
        try {
            double d = Double.parseDouble(v);
            if (Double.isNaN(d) || Double.isInfinite(d) || !v.matches("[0-9.eE+-]+")) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + v + "\" is not a number");
        }
    }

    private static Object integer(String v, int min, int max) {
        int i;
        try {
            i = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + v + "\" is not a whole number");
        }
        if (i < min || i > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return i;
    }

    private static Object distribution(String v) {
        for (DelayDistribution d : DelayDistribution.values()) {
            if (d.word().equals(v.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("must be one of uniform, normal, pareto, paretonormal");
    }
}
