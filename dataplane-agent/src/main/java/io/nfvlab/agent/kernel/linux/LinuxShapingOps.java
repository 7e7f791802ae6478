package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.Action.OffloadOff;
import io.nfvlab.agent.kernel.Action.QdiscClear;
import io.nfvlab.agent.kernel.Action.QdiscSet;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.kernel.ShapingOps;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.topology.LinkParams;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Mininet's TCLink on one end: a tbf root for the rate (not capped at 1 Gbit/s) with a netem child for delay,
 * jitter, loss and queue limit; netem alone when there is no rate. Qdiscs are replaced by deleting the root and
 * adding anew, so a parameter that is no longer set does not linger.
 */
final class LinuxShapingOps implements ShapingOps {
    private static final Pattern DURATION = Pattern.compile(LinkParams.DURATION);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final String nodeNetns;

    LinuxShapingOps(String nodeNetns) {
        this.nodeNetns = nodeNetns;
    }

    @Override
    public BatchResult apply(String netns, List<Action> actions) {
        IpBatch b = new IpBatch();
        for (Action a : actions) {
            if (a instanceof QdiscSet x) {
                render(b, x);
            } else if (a instanceof QdiscClear x) {
                b.add(a, true, "qdisc", "del", "dev", x.device(), "root");
                b.add(a, true, "qdisc", "del", "dev", x.device(), "clsact");
            }
        }
        String ns = netns == null ? nodeNetns : netns;
        List<String> argv = LinuxKernel.tc(ns, "-force", "-batch", "-");
        BatchResult r = b.run(argv, TIMEOUT);
        // name the missing kernel feature instead of tc's "Specified qdisc kind is unknown"
        return new BatchResult(r.failures().stream().map(f -> f.message().contains(" netem ") && f.message().contains("unknown")
                ? new BatchResult.Failure(f.action(), "delay/jitter need the netem qdisc, which this kernel lacks (CONFIG_NET_SCH_NETEM): " + f.message())
                : f).toList());
    }

    static void render(IpBatch b, QdiscSet x) {
        LinkParams p = x.params();
        String dev = x.device();
        for (String d : new String[]{p.getDelay(), p.getJitter()}) {
            if (d != null && !DURATION.matcher(d).matches()) {
                b.add(x, "invalid-duration", d);
                return;
            }
        }
        b.add(x, true, "qdisc", "del", "dev", dev, "root");
        b.add(x, true, "qdisc", "del", "dev", dev, "clsact");
        // delay and jitter are the delay line's (see LinuxRelays), which also keeps their queue limit
        List<String> netem = new ArrayList<>();
        if (p.getMaxQueueSize() != null && !io.nfvlab.agent.kernel.Planner.isRelayed(p)) {
            netem.addAll(List.of("pfifo", "limit", String.valueOf(p.getMaxQueueSize())));
        }
        if (p.getBandwidthMbps() != null) {
            long kbit = Math.max(8, Math.round(p.getBandwidthMbps() * 1000));
            // a burst of ~8 ms at the rate (at least a few full frames): big enough for HZ=250 timers, small enough
            // that a TCP flow measures the rate rather than the burst
            long burst = Math.max(16 * 1024, kbit * 1000 / 8 / 125);
            b.add(x, "qdisc", "add", "dev", dev, "root", "handle", "1:", "tbf", "rate", kbit + "kbit",
                    "burst", String.valueOf(burst), "latency", "50ms");
            if (!netem.isEmpty()) {
                List<String> w = new ArrayList<>(List.of("qdisc", "add", "dev", dev, "parent", "1:1", "handle", "10:"));
                w.addAll(netem);
                b.add(x, w.toArray(String[]::new));
            }
        } else if (!netem.isEmpty()) {
            List<String> w = new ArrayList<>(List.of("qdisc", "add", "dev", dev, "root", "handle", "10:"));
            w.addAll(netem);
            b.add(x, w.toArray(String[]::new));
        }
        if (p.getLossPercent() != null && p.getLossPercent() > 0) {
            // random loss without netem: a classic-BPF egress filter that drops when a random u32 falls below the
            // threshold (ld rand; jge #T, pass; ret TC_ACT_STOLEN; ret TC_ACT_UNSPEC). STOLEN, not SHOT: like netem,
            // the sender is told the packet left (SHOT returns ENOBUFS, and ping then retries instead of losing it)
            long threshold = Math.min(0xFFFFFFFFL, Math.round(p.getLossPercent() / 100.0 * 4294967296.0));
            b.add(x, "qdisc", "add", "dev", dev, "clsact");
            b.addQuoted(x, "4,32 0 0 4294963256,53 1 0 " + threshold + ",6 0 0 4,6 0 0 4294967295",
                    "filter", "add", "dev", dev, "egress", "prio", "1", "bpf", "da", "bytecode");
        }
    }

    private static String plain(double d) {
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }

    @Override
    public BatchResult offload(List<Action> actions) {
        // one ioctl per device, grouped by namespace (see Ethtool)
        java.util.Map<String, List<OffloadOff>> byNs = new java.util.LinkedHashMap<>();
        for (Action a : actions) {
            OffloadOff x = (OffloadOff) a;
            String ns = x.netns() == null ? nodeNetns : x.netns();
            byNs.computeIfAbsent(ns == null ? "" : ns, k -> new ArrayList<>()).add(x);
        }
        List<BatchResult.Failure> failures = new ArrayList<>();
        byNs.forEach((ns, list) -> {
            java.util.Map<String, String> errors = Ethtool.txOff(ns.isEmpty() ? null : ns,
                    list.stream().map(OffloadOff::device).toList());
            list.forEach(x -> {
                if (errors.containsKey(x.device())) failures.add(new BatchResult.Failure(x, errors.get(x.device())));
            });
        });
        return new BatchResult(failures);
    }
}
