package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.Action.OffloadOff;
import io.nfvlab.agent.kernel.Action.QdiscClear;
import io.nfvlab.agent.kernel.Action.QdiscSet;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.kernel.ShapingOps;
import io.nfvlab.agent.kernel.shaping.LinkShaping;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the tc lines {@link LinkShaping} renders for each end, one {@code tc [-n NS] -force -batch -} per namespace,
 * and turns TX checksum offload off (see {@link Ethtool}).
 */
final class LinuxShapingOps implements ShapingOps {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final String nodeNetns;

    LinuxShapingOps(String nodeNetns) {
        this.nodeNetns = nodeNetns;
    }

    @Override
    public io.nfvlab.agent.kernel.shaping.ShapingMechanisms mechanisms() {
        return NetemProbe.mechanisms();
    }

    @Override
    public BatchResult apply(String netns, List<Action> actions) {
        IpBatch b = new IpBatch();
        for (Action a : actions) {
            if (a instanceof QdiscSet x) {
                add(b, a, x.shaping().tcSet(x.device()));
            } else if (a instanceof QdiscClear x) {
                add(b, a, LinkShaping.tcClear(x.device()));
            }
        }
        String ns = netns == null ? nodeNetns : netns;
        return b.run(LinuxKernel.tc(ns, "-force", "-batch", "-"), TIMEOUT);
    }

    private static void add(IpBatch b, Action a, List<LinkShaping.TcLine> lines) {
        for (LinkShaping.TcLine l : lines) {
            String[] words = l.words().toArray(String[]::new);
            if (l.quoted() != null) {
                b.addQuoted(a, l.quoted(), words);
            } else {
                b.add(a, l.ignoreFailure(), words);
            }
        }
    }

    @Override
    public BatchResult offload(List<Action> actions) {        // one ioctl per device, grouped by namespace (see Ethtool)
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
