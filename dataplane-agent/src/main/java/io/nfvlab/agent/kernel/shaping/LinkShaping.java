package io.nfvlab.agent.kernel.shaping;

import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.ParsedLinkParams;

import io.nfvlab.api.common.Hashes;
import io.nfvlab.api.topology.Impairments;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * All of one link's shaping, as Mininet's {@code TCIntf} holds it: which mechanism carries which parameter, and what
 * each end then needs. Like Mininet, the parameters apply to both ends (so each direction). The mechanisms depend on
 * whether the kernel has {@code sch_netem} ({@link ShapingMechanisms}, probed at agent start):
 * <ul>
 *   <li>rate: a {@code tbf} root qdisc on each end, always.</li>
 *   <li>with netem: a {@code netem} qdisc on each end (under {@code tbf} when there is a rate, else the root) carries
 *       delay, jitter and its distribution, loss (correlated loss as {@code loss gemodel}), corruption, duplication,
 *       reordering with gap, and the queue limit.</li>
 *   <li>without netem: delay, jitter, duplication, corruption, reordering and correlated loss go through a delay line
 *       in the agent ({@link FrameImpairer}). The link becomes two veth pairs whose inner ends (root namespace,
 *       {@code KernelNames.relayDevice}) the agent joins with AF_PACKET sockets. The delay line also keeps the
 *       queue limit. Plain loss is a classic-BPF filter on the {@code clsact} egress hook of each end that drops a
 *       random share; a queue limit without a delay line is {@code pfifo} (under {@code tbf} with a rate).</li>
 * </ul>
 * A VXLAN tunnel end gets the same qdiscs but never a delay line: without netem, what only the delay line could carry
 * is refused for it ({@link #refusedOnTunnel}).
 */
public final class LinkShaping {
    /**
     * Root qdisc kinds that shape traffic: an end that should carry none has them removed (netem too: it may be
     * this agent's, or an earlier one's on a kernel that had the module).
     */
    public static final Set<String> SHAPING_QDISCS = Set.of("tbf", "netem", "htb", "pfifo");

    public static final LinkShaping NONE = new LinkShaping(ParsedLinkParams.NONE, specText(new LinkParams()),
            ShapingMechanisms.WITHOUT_NETEM);

    private final ParsedLinkParams params;
    /** The parameters as the spec writes them: what an end's signature covers. */
    private final String specText;
    private final ShapingMechanisms mechanisms;

    private LinkShaping(ParsedLinkParams params, String specText, ShapingMechanisms mechanisms) {
        this.params = params;
        this.specText = specText;
        this.mechanisms = mechanisms;
    }

    /** The shaping of a link with these parameters on a kernel without netem (see {@link #of(LinkParams, ShapingMechanisms)}). */
    public static LinkShaping of(LinkParams p) {
        return of(p, ShapingMechanisms.WITHOUT_NETEM);
    }

    /**
     * The shaping of a link with these parameters (null: none) with this node's mechanisms.
     *
     * @throws IllegalArgumentException when a delay or jitter is not a duration (the CRD's schema rejects those)
     */
    public static LinkShaping of(LinkParams p, ShapingMechanisms mechanisms) {
        return p == null ? NONE : new LinkShaping(p.parsed(), specText(p), mechanisms);
    }

    public ParsedLinkParams params() {
        return params;
    }

    /** True when the ends need traffic control of any kind (see {@link #tcChange}). */
    public boolean shaped() {
        return params.shaped();
    }

    private Impairments imp() {
        return params.impairments();
    }

    private static boolean positive(Double d) {
        return d != null && d > 0;
    }

    private boolean correlatedLoss() {
        return positive(params.lossPercent()) && positive(imp().lossCorrelationPercent());
    }

    /** True when a netem qdisc on each end carries delay, jitter, loss and the other impairments. */
    public boolean netem() {
        return mechanisms.netem() && (params.delay() != null || params.jitter() != null || positive(params.lossPercent())
                || positive(imp().corruptPercent()) || positive(imp().duplicatePercent()) || positive(imp().reorderPercent()));
    }

    /** Parameters that without netem only a delay line carries, by their spec names. */
    private List<String> delayLineParameters() {
        List<String> out = new ArrayList<>();
        if (params.delay() != null) out.add("delay");
        if (params.jitter() != null) out.add("jitter");
        if (correlatedLoss()) out.add("lossCorrelationPercent");
        if (positive(imp().corruptPercent())) out.add("corruptPercent");
        if (positive(imp().duplicatePercent())) out.add("duplicatePercent");
        if (positive(imp().reorderPercent())) out.add("reorderPercent");
        return out;
    }

    /**
     * What a VXLAN tunnel end cannot carry on this node, as a refusal naming the kernel module; null when it can
     * carry all of it (netem is there, or nothing needs a delay line).
     */
    public String refusedOnTunnel() {
        List<String> needLine = delayLineParameters();
        if (mechanisms.netem() || needLine.isEmpty()) {
            return null;
        }
        return String.join(", ", needLine) + " on a cross-node (VXLAN) link need the kernel module "
                + ShapingMechanisms.NETEM_MODULE + ", which this node lacks (the agent's delay line joins only veth links)";
    }

    /** The link's delay line, or null when netem carries its impairments or it has none (its ends are then one veth pair). */
    public DelayLine delayLine() {
        if (mechanisms.netem() || delayLineParameters().isEmpty()) {
            return null;
        }
        return new DelayLine(params.delay() == null ? Duration.ZERO : params.delay(),
                params.jitter() == null ? Duration.ZERO : params.jitter(),
                params.maxQueueSize() == null ? DelayLine.DEFAULT_LIMIT : params.maxQueueSize(),
                DelayLine.DEFAULT_BYTE_LIMIT, correlatedLoss() ? params.lossPercent() : null, imp());
    }

    /** The root qdisc kind each end carries: tbf for a rate, netem, pfifo for a queue limit alone, else none (null). */
    public String rootQdisc() {
        if (params.bandwidthMbps() != null) return "tbf";
        if (netem()) return "netem";
        if (queueLimitOnEnd()) return "pfifo";
        return null;
    }

    /** True when each end carries the loss filter (a clsact qdisc). */
    public boolean lossFilter() {
        return !mechanisms.netem() && positive(params.lossPercent()) && !correlatedLoss();
    }

    /**
     * True when the ends must send frames with their checksums written (offloads off): a delay line that corrupts
     * frames needs them, or the receiver would trust a checksum computed after the flip (see {@link FrameCorruption}).
     */
    public boolean needsChecksums() {
        return !mechanisms.netem() && positive(imp().corruptPercent());
    }

    private boolean queueLimitOnEnd() {
        return params.maxQueueSize() != null && delayLine() == null && !netem();
    }

    /**
     * Which mechanism carries which parameter, compactly, e.g. {@code "delay-line(delay,jitter) bpf(loss) tbf(rate)"};
     * empty when the link is not shaped. Reported per link in the node's status.
     */
    public String carriers() {
        Map<String, List<String>> by = new LinkedHashMap<>();
        boolean netem = netem();
        DelayLine line = delayLine();
        for (String p : delayLineParameters()) {
            by.computeIfAbsent(netem ? "netem" : "delay-line", k -> new ArrayList<>()).add(p);
        }
        if (params.jitter() != null && imp().distribution() != null) {
            by.get(netem ? "netem" : "delay-line").add("delayDistribution");
        }
        if (positive(params.lossPercent())) {
            by.computeIfAbsent(netem ? "netem" : correlatedLoss() ? "delay-line" : "bpf", k -> new ArrayList<>()).add("lossPercent");
        }
        if (params.maxQueueSize() != null) {
            by.computeIfAbsent(netem ? "netem" : line != null ? "delay-line" : "pfifo", k -> new ArrayList<>()).add("maxQueueSize");
        }
        if (params.bandwidthMbps() != null) {
            by.computeIfAbsent("tbf", k -> new ArrayList<>()).add("bandwidthMbps");
        }
        StringBuilder out = new StringBuilder();
        by.forEach((m, ps) -> out.append(out.length() == 0 ? "" : " ").append(m).append('(').append(String.join(",", ps)).append(')'));
        return out.toString();
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
        String text = specText + "|" + offloadOff + (netem() ? "|netem" : "");
        return Hashes.sha256Hex(text).substring(0, 8);
    }

    private static String specText(LinkParams p) {
        String text = p.getBandwidthMbps() + "|" + p.getDelay() + "|" + p.getJitter() + "|" + p.getLossPercent() + "|"
                + p.getMaxQueueSize();
        // appended only when set, so that marks written before these parameters existed stay valid
        if (p.parsed().impairments().any()) {
            text += "|" + p.getLossCorrelationPercent() + "|" + p.getCorruptPercent() + "|" + p.getDuplicatePercent() + "|"
                    + p.getReorderPercent() + "|" + p.getReorderGap() + "|" + p.getDelayDistribution();
        }
        return text;
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
     * longer set does not linger. Without netem, delay, jitter and the other impairments are not here: the delay
     * line carries them.
     */
    public List<TcLine> tcSet(String device) {
        List<TcLine> out = new ArrayList<>(tcClear(device));
        List<String> leaf = netem() ? netemOptions()
                : queueLimitOnEnd() ? List.of("pfifo", "limit", String.valueOf(params.maxQueueSize())) : List.of();
        if (params.bandwidthMbps() != null) {
            long kbit = Math.max(8, Math.round(params.bandwidthMbps() * 1000));
            // a burst of ~8 ms at the rate (at least a few full frames): big enough for HZ=250 timers, small enough
            // that a TCP flow measures the rate rather than the burst
            long burst = Math.max(16 * 1024, kbit * 1000 / 8 / 125);
            out.add(new TcLine(List.of("qdisc", "add", "dev", device, "root", "handle", "1:", "tbf", "rate", kbit + "kbit",
                    "burst", String.valueOf(burst), "latency", "50ms"), null, false));
            if (!leaf.isEmpty()) {
                out.add(new TcLine(concat(List.of("qdisc", "add", "dev", device, "parent", "1:1", "handle", "10:"), leaf), null, false));
            }
        } else if (!leaf.isEmpty()) {
            out.add(new TcLine(concat(List.of("qdisc", "add", "dev", device, "root", "handle", "10:"), leaf), null, false));
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

    /** {@code netem limit N delay D J distribution X loss … corrupt P duplicate P reorder P gap N}, as set. */
    private List<String> netemOptions() {
        List<String> o = new ArrayList<>(List.of("netem", "limit",
                String.valueOf(params.maxQueueSize() == null ? DelayLine.DEFAULT_LIMIT : params.maxQueueSize())));
        if (params.delay() != null || params.jitter() != null) {
            o.add("delay");
            o.add(micros(params.delay() == null ? Duration.ZERO : params.delay()));
            if (params.jitter() != null) {
                o.add(micros(params.jitter()));
                if (imp().distribution() != null) {
                    o.add("distribution");
                    o.add(imp().distribution().word());
                }
            }
        }
        if (positive(params.lossPercent())) {
            if (correlatedLoss()) {
                // the delay line's two-state chain (see FrameImpairer): enter loss with p(1-c), leave it with (1-p)(1-c)
                double p = params.lossPercent() / 100, c = imp().lossCorrelationPercent() / 100;
                o.addAll(List.of("loss", "gemodel", percent(100 * p * (1 - c)), percent(100 * (1 - p) * (1 - c))));
            } else {
                o.addAll(List.of("loss", "random", percent(params.lossPercent())));
            }
        }
        if (positive(imp().corruptPercent())) o.addAll(List.of("corrupt", percent(imp().corruptPercent())));
        if (positive(imp().duplicatePercent())) o.addAll(List.of("duplicate", percent(imp().duplicatePercent())));
        if (positive(imp().reorderPercent())) {
            o.addAll(List.of("reorder", percent(imp().reorderPercent()), "gap", String.valueOf(imp().gapOrDefault())));
        }
        return o;
    }

    private static String micros(Duration d) {
        return Math.max(0, d.toNanos() / 1000) + "us";
    }

    private static String percent(double p) {
        return new BigDecimal(p).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + "%";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkShaping s && params.equals(s.params) && specText.equals(s.specText) && mechanisms.equals(s.mechanisms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(params, specText, mechanisms);
    }

    @Override
    public String toString() {
        return params.toString();
    }
}
