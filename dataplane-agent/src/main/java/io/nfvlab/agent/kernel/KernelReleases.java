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
 * Switch namespaces whose teardown has been reported done while the kernel is still destroying them, followed until
 * their marker's root end is gone.
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
 */
public final class KernelReleases implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KernelReleases.class);
    /** How long the kernel may take; measured ≈2 s for a hundred bridges on a loaded 2-core machine. */
    public static final Duration OVERDUE = Duration.ofSeconds(60);

    /** One switch namespace being destroyed: its owner token, former name and marker root end. */
    public record Pending(String token, String netns, String marker, long deletedAtNanos) {
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
    synchronized void deleted(String token, String netns, String marker) {
        pending.put(marker, new Pending(token, netns, marker, System.nanoTime()));
        if (tick == null) {
            tick = checker.scheduleWithFixedDelay(this::check, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the kernel is still destroying a switch namespace whose marker is this one. */
    boolean pending(String marker) {
        return pending.containsKey(marker);
    }

    /**
     * Waits until the kernel has released the namespace behind {@code marker} (true), or until {@code within} has
     * passed (false). A marker not followed yet is followed from now.
     */
    boolean awaitReleased(String token, String netns, String marker, Duration within) {
        if (!pending(marker)) {
            deleted(token, netns, marker);
        }
        long deadline = System.nanoTime() + within.toNanos();
        long pause = 5;
        while (System.nanoTime() < deadline) {
            if (!links.exists(null, marker)) {
                pending.remove(marker);
                return true;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause = Math.min(50, pause * 2);
        }
        return false;
    }

    /** Namespaces still being destroyed. */
    public List<Pending> pending() {
        return List.copyOf(pending.values());
    }

    /** Namespaces the kernel did not release within {@link #OVERDUE}: leaks, since this agent started. */
    public List<Pending> overdue() {
        return List.copyOf(overdue.values());
    }

    private synchronized void check() {
        long now = System.nanoTime();
        for (Pending p : List.copyOf(pending.values())) {
            try {
                if (!links.exists(null, p.marker())) {
                    pending.remove(p.marker());
                    LOG.debug("kernel released {} {} ms after it was deleted", p.netns(), (now - p.deletedAtNanos()) / 1_000_000);
                } else if (now - p.deletedAtNanos() > OVERDUE.toNanos()) {
                    pending.remove(p.marker());
                    overdue.put(p.marker(), p);
                    LOG.error("namespace {} (owner {}) was deleted {} s ago and the kernel has not destroyed it: something "
                                    + "still holds it (its devices stay in the kernel, unnamed); removing its marker {}",
                            p.netns(), p.token(), (now - p.deletedAtNanos()) / 1_000_000_000, p.marker());
                    links.apply(null, List.of(new Action.LinkDel("switches", null, p.marker())));
                }
            } catch (RuntimeException e) {
                LOG.warn("checking the release of {}: {}", p.netns(), e.toString());
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
