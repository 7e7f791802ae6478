package io.nfvlab.agent.kernel;

import io.nfvlab.api.node.NetworkNodeStateStatus.ItemError;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * After a sync that changed links, waits until the kernel has brought them into service
 * ({@link LinkOps#linksAwaitingService}), so that a topology is reported ready only once it forwards. On this 2-core
 * machine with the other core busy, the 2025-host tree's links went into service 2 to 39 s after they were made, and a
 * ping in that time was lost. Only the switch namespaces and the node root are read, where the switch ends are: the
 * kernel serves carrier changes in the order they came, and both ends of a veth change together.
 */
final class LinkService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LinkService.class);
    /** How long a sync waits before it reports the links not ready (the next sync looks again). */
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final long FIRST_POLL_MILLIS = 10;
    /** The longest pause between reads: each read is a link dump of thousands of links, beside the work awaited. */
    private static final long LONGEST_POLL_MILLIS = 200;
    /** A wait from which a line in the log says how long the kernel took. */
    private static final long WORTH_SAYING_MILLIS = 500;

    private final LinkOps links;
    private final Duration limit;
    /** Owners whose last wait ran out: their next sync waits again even when it changes nothing. */
    private final Set<String> behind = ConcurrentHashMap.newKeySet();

    LinkService(LinkOps links, Duration limit) {
        this.links = links;
        this.limit = limit;
    }

    /**
     * Waits for the links of {@code namespaces} (null: the node root) when this sync of {@code token} changed links
     * or the last one ran out of time; returns the error for the node's status when the kernel is still behind.
     */
    ItemError await(String token, Collection<String> namespaces, boolean changed) {
        if (!changed && !behind.contains(token)) {
            return null;
        }
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        // a namespace found caught up is not read again: this owner's sync makes no links while it waits
        Map<String, Integer> behindIn = new HashMap<>();
        namespaces.forEach(ns -> behindIn.put(ns, Integer.MAX_VALUE));
        int waiting = awaiting(behindIn);
        long pause = FIRST_POLL_MILLIS;
        while (waiting > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            pause = Math.min(LONGEST_POLL_MILLIS, 2 * pause);
            waiting = awaiting(behindIn);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (waiting == 0) {
            behind.remove(token);
            if (millis >= WORTH_SAYING_MILLIS) {
                LOG.info("{}: the kernel brought the new links into service {} ms after they were made", token, millis);
            }
            return null;
        }
        behind.add(token);
        return new ItemError("links", "the kernel has not yet brought " + waiting + " links into service, " + millis
                + " ms after they were made (its link-watch work is behind on a busy node): they do not forward yet");
    }

    /** Forgets an owner that was torn down. */
    void forget(String token) {
        behind.remove(token);
    }

    /** Reads the namespaces still behind, drops those caught up, and returns how many links all of them still await. */
    private int awaiting(Map<String, Integer> behindIn) {
        behindIn.replaceAll((ns, before) -> links.linksAwaitingService(ns));
        behindIn.values().removeIf(n -> n == 0);
        return behindIn.values().stream().mapToInt(Integer::intValue).sum();
    }
}
