package io.nfvlab.agent.kernel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a teardown reported done leaves for the kernel or ovs-vswitchd to finish, followed until it is over: a switch
 * namespace until its marker's root end is gone, an OVS bridge until ovs-vswitchd has removed its device.
 * <p>
 * What "done" means for a teardown: every name the topology used is free (its namespaces are unmounted from
 * /run/netns, so nothing can find or reuse them), and nothing in user space holds them any more (no thread,
 * process, socket or descriptor: {@link NetnsOps#holders}). The kernel then destroys them by itself, from its own
 * work queue, in one batch — seconds for a hundred bridges, during which it holds the rtnl lock. That last part
 * is verified here, not waited for: the marker pair's root end ({@link io.nfvlab.api.node.KernelNames#switchMarker})
 * disappears when the namespace's devices are unregistered. A marker still there after {@link #OVERDUE} is a leak
 * (something the checks above cannot see holds the namespace: a socket of another process, a kernel object):
 * logged as an error, counted, and its root end removed so that the name can be used again. A build of the same
 * owner waits for its previous switch namespace to be released before it makes a new one; an agent that starts
 * finds markers whose namespace has no name any more and follows them the same way.
 * <p>
 * OVS bridges are done, likewise, once their rows are gone from OVSDB (one transaction): ovs-vswitchd then removes
 * their ports one by one (≈15 ms each, seconds for linear,100), a reconfiguration it completes by itself, also after a
 * restart, since OVSDB is what it follows. The bridges' devices are followed here the same way (overdue: logged).
 */
public final class KernelReleases implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KernelReleases.class);
    /** How long the kernel may take; measured ≈2 s for a hundred bridges on a loaded 2-core machine. */
    public static final Duration OVERDUE = Duration.ofSeconds(60);

    /**
     * What one teardown left to finish: its owner token, what it was (a switch namespace's former name, "OVS bridges"),
     * the root devices whose going shows it finished, and whether an overdue one is a marker to remove.
     */
    public record Pending(String token, String what, java.util.Set<String> devices, boolean marker, long deletedAtNanos) {
    }

    private final LinkOps links;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Pending> overdue = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checker;
    private volatile ScheduledFuture<?> tick;
    private final long pollMillis;

    KernelReleases(LinkOps links) {
        this(links, 50);
    }

    KernelReleases(LinkOps links, long pollMillis) {
        this.links = links;
        this.pollMillis = pollMillis;
        this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nfvlab-kernel-release");
            t.setDaemon(true);
            return t;
        });
    }

    /** The namespace {@code netns} of {@code token} was deleted; its marker's root end shows when the kernel is done. */
    void deleted(String token, String netns, String marker) {
        follow(new Pending(token, netns, java.util.Set.of(marker), true, System.nanoTime()));
    }

    /** These OVS bridges of {@code token} are gone from OVSDB; ovs-vswitchd removes their devices after. */
    void ovsBridgesDeleted(String token, java.util.Set<String> bridges) {
        if (!bridges.isEmpty()) {
            follow(new Pending(token, "OVS bridges", java.util.Set.copyOf(bridges), false, System.nanoTime()));
        }
    }

    private synchronized void follow(Pending p) {
        pending.put(p.token() + "/" + p.what(), p);
        if (tick == null) {
            tick = checker.scheduleWithFixedDelay(this::check, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether a switch namespace whose marker is this one is still being destroyed. */
    boolean pending(String marker) {
        return pending.values().stream().anyMatch(p -> p.marker() && p.devices().contains(marker));
    }

    /**
     * Waits until the kernel has released the namespace behind {@code marker} (true), or until {@code within} has
     * passed (false). A marker not followed yet is followed from now.
     */
    boolean awaitReleased(String token, String netns, String marker, Duration within) {
        if (!pending(marker)) {
            deleted(token, netns, marker);
        }
        return awaitAll(token, within);
    }

    /** Waits until nothing of {@code token} is pending any more (true), or until {@code within} has passed (false). */
    boolean awaitAll(String token, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        long pause = 5;
        while (true) {
            List<Pending> mine = pending.values().stream().filter(p -> p.token().equals(token)).toList();
            mine.stream().filter(this::finished).forEach(p -> pending.remove(p.token() + "/" + p.what()));
            if (mine.stream().allMatch(this::finished)) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause = Math.min(50, pause * 2);
        }
    }

    private boolean finished(Pending p) {
        return p.devices().stream().noneMatch(d -> links.exists(null, d));
    }

    /** What is still being finished. */
    public List<Pending> pending() {
        return List.copyOf(pending.values());
    }

    /** What was not finished within {@link #OVERDUE}: leaks, since this agent started. */
    public List<Pending> overdue() {
        return List.copyOf(overdue.values());
    }

    private synchronized void check() {
        long now = System.nanoTime();
        for (Map.Entry<String, Pending> e : List.copyOf(pending.entrySet())) {
            Pending p = e.getValue();
            try {
                if (finished(p)) {
                    pending.remove(e.getKey());
                    LOG.debug("{} of {} finished {} ms after the teardown", p.what(), p.token(), (now - p.deletedAtNanos()) / 1_000_000);
                } else if (now - p.deletedAtNanos() > OVERDUE.toNanos()) {
                    pending.remove(e.getKey());
                    overdue.put(e.getKey(), p);
                    if (p.marker()) {
                        LOG.error("namespace {} (owner {}) was deleted {} s ago and the kernel has not destroyed it: something "
                                        + "still holds it (its devices stay in the kernel, unnamed); removing its marker {}",
                                p.what(), p.token(), (now - p.deletedAtNanos()) / 1_000_000_000, p.devices());
                        p.devices().forEach(d -> links.apply(null, List.of(new Action.LinkDel("switches", null, d))));
                    } else {
                        LOG.error("{} of owner {} were deleted from OVSDB {} s ago and ovs-vswitchd has not removed all of "
                                        + "their devices {}", p.what(), p.token(), (now - p.deletedAtNanos()) / 1_000_000_000, p.devices());
                    }
                }
            } catch (RuntimeException ex) {
                LOG.warn("checking {} of {}: {}", p.what(), p.token(), ex.toString());
            }
        }
        if (pending.isEmpty() && tick != null) {
            tick.cancel(false);
            tick = null;
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
