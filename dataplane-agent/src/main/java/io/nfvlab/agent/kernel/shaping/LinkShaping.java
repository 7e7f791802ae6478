package io.nfvlab.agent.kernel.shaping;

import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.ParsedLinkParams;

import io.nfvlab.api.common.Hashes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * All of one link's shaping, as Mininet's {@code TCIntf} holds it: which mechanism carries which TCLink parameter,
 * and what each end then needs. Like Mininet, the parameters apply to both ends. The mechanisms:
 * <ul>
 *   <li>delay and jitter: a delay line in the agent. The link becomes two veth pairs whose inner ends (root namespace,
 *       {@code KernelNames.relayDevice}) the agent joins with AF_PACKET sockets, holding each frame for its delay.
 *       The delay line also keeps the link's queue limit. The kernel this was built on has no {@code sch_netem},
 *       and every kernel gets the same mechanism so links behave alike everywhere.</li>
 *   <li>rate: a {@code tbf} root qdisc on each end.</li>
 *   <li>queue limit without a delay line: {@code pfifo} (under {@code tbf} when there is a rate, else the root).</li>
 *   <li>loss: a classic-BPF filter on the {@code clsact} egress hook of each end that drops a random share.</li>
 * </ul>
 * A VXLAN tunnel end gets the same qdiscs but no delay line, so a cross-node link has no delay (and, when it asks for
 * a delay, no queue limit either).
 */
public final class LinkShaping {
    /**
     * Root qdisc kinds that shape traffic: an end that should carry none has them removed. netem is among them
     * although this agent never installs it: on a marked end it is shaping all the same.
     */
    public static final Set<String> SHAPING_QDISCS = Set.of("tbf", "netem", "htb", "pfifo");

    public static final LinkShaping NONE = new LinkShaping(ParsedLinkParams.NONE, specText(new LinkParams()));

    private final ParsedLinkParams params;
    /** The parameters as the spec writes them: what an end's signature covers. */
    private final String specText;

    private LinkShaping(ParsedLinkParams params, String specText) {
        this.params = params;
        this.specText = specText;
    }

    /**
     * The shaping of a link with these parameters (null: none).
     *
     * @throws IllegalArgumentException when a delay or jitter is not a duration (the CRD's schema rejects those)
     */
    public static LinkShaping of(LinkParams p) {
        return p == null ? NONE : new LinkShaping(p.parsed(), specText(p));
    }

    public ParsedLinkParams params() {
        return params;
    }

    /** True when the ends need traffic control of any kind (see {@link #tcChange}). */
    public boolean shaped() {
        return params.shaped();
    }

    /** The link's delay line, or null when it has neither delay nor jitter (its ends are then one veth pair). */
    public DelayLine delayLine() {
        if (params.delay() == null && params.jitter() == null) {
            return null;
        }
        return new DelayLine(params.delay() == null ? Duration.ZERO : params.delay(),
                params.jitter() == null ? Duration.ZERO : params.jitter(),
                params.maxQueueSize() == null ? DelayLine.DEFAULT_LIMIT : params.maxQueueSize());
    }

    /** The root qdisc kind each end carries: tbf for a rate, pfifo for a queue limit alone, else none (null). */
    public String rootQdisc() {
        if (params.bandwidthMbps() != null) return "tbf";
        if (queueLimitOnEnd()) return "pfifo";
        return null;
    }

    /** True when each end carries the loss filter (a clsact qdisc). */
    public boolean lossFilter() {
        return params.lossPercent() != null && params.lossPercent() > 0;
    }

    private boolean queueLimitOnEnd() {
        return params.maxQueueSize() != null && delayLine() == null;
    }

    /** What to do with an end's qdiscs. */
    public enum TcChange { NONE, SET, CLEAR }

    /**
     * What an end's qdiscs need: {@code reconfigure} when the end is new or its mark lacks the current
     * {@link #signature}; otherwise the observed root qdisc kind (null: none) and clsact are compared with what this
     * shaping installs.
     */
    public TcChange tcChange(boolean reconfigure, String observedRootQdisc, boolean observedClsact) {
        boolean shapingQdisc = observedRootQdisc != null && SHAPING_QDISCS.contains(observedRootQdisc);
        if (reconfigure) {
            if (shaped()) return TcChange.SET;
            return shapingQdisc ? TcChange.CLEAR : TcChange.NONE;
        }
        if (shaped()) {
            boolean same = Objects.equals(rootQdisc(), shapingQdisc ? observedRootQdisc : null) && lossFilter() == observedClsact;
            return same ? TcChange.NONE : TcChange.SET;
        }
        return shapingQdisc || observedClsact ? TcChange.CLEAR : TcChange.NONE;
    }

    /**
     * Eight hex digits naming an end's shaping and offload settings, written into its mark once it is configured;
     * changes when any of them changes. Computed over the spec's own words, so marks written by earlier agents stay
     * valid.
     */
    public String signature(boolean offloadOff) {
        String text = specText + "|" + offloadOff;
        return Hashes.sha256Hex(text).substring(0, 8);
    }

    private static String specText(LinkParams p) {
        return p.getBandwidthMbps() + "|" + p.getDelay() + "|" + p.getJitter() + "|" + p.getLossPercent() + "|"
                + p.getMaxQueueSize();
    }

    /**
     * One line of a {@code tc -batch}: its words, an optional double-quoted literal after them (BPF bytecode), and
     * whether a failure is expected and harmless.
     */
    public record TcLine(List<String> words, String quoted, boolean ignoreFailure) {
    }

    /** Removes whatever shaping {@code device} carries. */
    public static List<TcLine> tcClear(String device) {
        return List.of(new TcLine(List.of("qdisc", "del", "dev", device, "root"), null, true),
                new TcLine(List.of("qdisc", "del", "dev", device, "clsact"), null, true));
    }

    /**
     * Replaces {@code device}'s qdiscs with this shaping's: deleting first and adding anew, so a parameter that is no
     * longer set does not linger. Delay and jitter are not here: the delay line carries them.
     */
    public List<TcLine> tcSet(String device) {
        List<TcLine> out = new ArrayList<>(tcClear(device));
        List<String> pfifo = queueLimitOnEnd() ? List.of("pfifo", "limit", String.valueOf(params.maxQueueSize())) : List.of();
        if (params.bandwidthMbps() != null) {
            long kbit = Math.max(8, Math.round(params.bandwidthMbps() * 1000));
            // a burst of ~8 ms at the rate (at least a few full frames): big enough for HZ=250 timers, small enough
            // that a TCP flow measures the rate rather than the burst
            long burst = Math.max(16 * 1024, kbit * 1000 / 8 / 125);
            out.add(new TcLine(List.of("qdisc", "add", "dev", device, "root", "handle", "1:", "tbf", "rate", kbit + "kbit",
                    "burst", String.valueOf(burst), "latency", "50ms"), null, false));
            if (!pfifo.isEmpty()) {
                out.add(new TcLine(concat(List.of("qdisc", "add", "dev", device, "parent", "1:1", "handle", "10:"), pfifo), null, false));
            }
        } else if (!pfifo.isEmpty()) {
            out.add(new TcLine(concat(List.of("qdisc", "add", "dev", device, "root", "handle", "10:"), pfifo), null, false));
        }
        if (lossFilter()) {
            // a classic-BPF egress filter that drops when a random u32 falls below the threshold (ld rand; jge #T,
            // pass; ret TC_ACT_STOLEN; ret TC_ACT_UNSPEC). STOLEN, not SHOT: the sender is told the packet left, as
            // with a lossy wire (SHOT returns ENOBUFS, and ping then retries instead of losing it)
            long threshold = Math.min(0xFFFFFFFFL, Math.round(params.lossPercent() / 100.0 * 4294967296.0));
            out.add(new TcLine(List.of("qdisc", "add", "dev", device, "clsact"), null, false));
            out.add(new TcLine(List.of("filter", "add", "dev", device, "egress", "prio", "1", "bpf", "da", "bytecode"),
                    "4,32 0 0 4294963256,53 1 0 " + threshold + ",6 0 0 4,6 0 0 4294967295", false));
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkShaping s && params.equals(s.params) && specText.equals(s.specText);
    }

    @Override
    public int hashCode() {
        return Objects.hash(params, specText);
    }

    @Override
    public String toString() {
        return params.toString();
    }
}
