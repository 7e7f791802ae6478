package io.nfvlab.agent.kernel;

import io.nfvlab.agent.kernel.Action.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Applies a plan in phases, each phase as few batches as possible: removals; namespaces; bridges; one root batch
 * creating veths and VXLANs; one OVSDB transaction; offloads; qdiscs per namespace; one batch per host namespace;
 * the final marks of root ends. Batches of different namespaces in one phase run in parallel.
 */
public final class Applier {
    private final KernelOps ops;
    private final ExecutorService pool;

    public Applier(KernelOps ops, ExecutorService pool) {
        this.ops = ops;
        this.pool = pool;
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Applier.class);

    public BatchResult apply(Plan plan) {
        List<Action> all = plan.actions();
        BatchResult r = BatchResult.OK;
        long t = System.nanoTime();
        StringBuilder timing = new StringBuilder();
        r = r.plus(phase(timing, "relay-stop", () -> run(ops.relays()::relay, select(all, a -> a instanceof RelayStop))));
        r = r.plus(phase(timing, "ovs-del", () -> run(ops.ovs()::apply, select(all, a -> a instanceof OvsPortDel || a instanceof OvsBridgeDel))));
        // root devices first: their host-side peers go in the same unregister batch, leaving namespaces nearly empty
        r = r.plus(phase(timing, "root-del", () -> run(l -> ops.links().apply(null, l), select(all, a -> a instanceof Action.LinkGroupDel || (a instanceof LinkDel d && d.netns() == null)))));
        r = r.plus(phase(timing, "netns-del", () -> run(ops.netns()::apply, select(all, a -> a instanceof NetnsDel))));
        r = r.plus(phase(timing, "ns-del", () -> inNamespaces(select(all, a -> a instanceof LinkDel d && d.netns() != null))));
        r = r.plus(phase(timing, "netns-add", () -> run(ops.netns()::apply, select(all, a -> a instanceof NetnsAdd))));
        r = r.plus(phase(timing, "bridges", () -> run(ops.bridges()::apply, select(all, a -> a instanceof BridgeAdd || a instanceof BridgeSetStp))));
        r = r.plus(phase(timing, "root-links", () -> run(l -> ops.links().apply(null, l), select(all, a -> a instanceof VethAdd || a instanceof VxlanAdd
                || (a instanceof LinkSet s && s.netns() == null)))));
        r = r.plus(phase(timing, "ovs-add", () -> run(ops.ovs()::apply, select(all, a -> a instanceof OvsBridgeAdd || a instanceof OvsBridgeSet
                || a instanceof OvsPortAdd))));
        r = r.plus(phase(timing, "offload", () -> run(ops.shaping()::offload, select(all, a -> a instanceof OffloadOff))));
        r = r.plus(phase(timing, "qdiscs", () -> perNamespace(select(all, a -> a instanceof QdiscSet || a instanceof QdiscClear), ops.shaping()::apply)));
        r = r.plus(phase(timing, "hosts", () -> inNamespaces(select(all, a -> (a instanceof LinkSet s && s.netns() != null) || a instanceof AddrAdd
                || a instanceof AddrDel || a instanceof RouteDefault || a instanceof RouteDefaultVia || a instanceof NeighSet))));
        r = r.plus(phase(timing, "marks", () -> run(l -> ops.links().apply(null, l), select(all, a -> a instanceof MarkSet))));
        r = r.plus(phase(timing, "relay-start", () -> run(ops.relays()::relay, select(all, a -> a instanceof RelayStart))));
        if (LOG.isDebugEnabled() && !all.isEmpty()) {
            LOG.debug("applied {} actions in {} ms:{}", all.size(), (System.nanoTime() - t) / 1_000_000, timing);
        }
        return r;
    }

    private static BatchResult phase(StringBuilder timing, String name, java.util.function.Supplier<BatchResult> body) {
        long t = System.nanoTime();
        BatchResult r = body.get();
        long ms = (System.nanoTime() - t) / 1_000_000;
        if (ms > 0) {
            timing.append(' ').append(name).append('=').append(ms);
        }
        return r;
    }

    private static List<Action> select(List<Action> all, java.util.function.Predicate<Action> p) {
        return all.stream().filter(p).toList();
    }

    private static BatchResult run(Function<List<Action>, BatchResult> op, List<Action> actions) {
        return actions.isEmpty() ? BatchResult.OK : op.apply(actions);
    }

    /** Link actions of many host namespaces, handed to LinkOps at once (it may batch across namespaces). */
    private BatchResult inNamespaces(List<Action> actions) {
        if (actions.isEmpty()) {
            return BatchResult.OK;
        }
        Map<String, List<Action>> byNs = new LinkedHashMap<>();
        for (Action a : actions) {
            byNs.computeIfAbsent(namespaceOf(a), k -> new ArrayList<>()).add(a);
        }
        return ops.links().applyInNamespaces(byNs);
    }

    /** One batch per namespace (null key: node root), in parallel. */
    private BatchResult perNamespace(List<Action> actions, java.util.function.BiFunction<String, List<Action>, BatchResult> op) {
        if (actions.isEmpty()) {
            return BatchResult.OK;
        }
        Map<String, List<Action>> byNs = new LinkedHashMap<>();
        for (Action a : actions) {
            byNs.computeIfAbsent(namespaceOf(a), k -> new ArrayList<>()).add(a);
        }
        List<Future<BatchResult>> futures = new ArrayList<>();
        for (Map.Entry<String, List<Action>> e : byNs.entrySet()) {
            String ns = e.getKey().isEmpty() ? null : e.getKey();
            futures.add(pool.submit(() -> op.apply(ns, e.getValue())));
        }
        BatchResult r = BatchResult.OK;
        for (int i = 0; i < futures.size(); i++) {
            try {
                r = r.plus(futures.get(i).get());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while applying", ex);
            } catch (java.util.concurrent.ExecutionException ex) {
                r = r.plus(BatchResult.allFailed(byNs.values().stream().toList().get(i), String.valueOf(ex.getCause())));
            }
        }
        return r;
    }

    static String namespaceOf(Action a) {
        String ns = null;
        if (a instanceof LinkDel x) ns = x.netns();
        else if (a instanceof LinkSet x) ns = x.netns();
        else if (a instanceof MarkSet x) ns = x.netns();
        else if (a instanceof AddrAdd x) ns = x.netns();
        else if (a instanceof AddrDel x) ns = x.netns();
        else if (a instanceof RouteDefault x) ns = x.netns();
        else if (a instanceof RouteDefaultVia x) ns = x.netns();
        else if (a instanceof NeighSet x) ns = x.netns();
        else if (a instanceof QdiscSet x) ns = x.netns();
        else if (a instanceof QdiscClear x) ns = x.netns();
        else if (a instanceof OffloadOff x) ns = x.netns();
        return ns == null ? "" : ns;
    }
}
