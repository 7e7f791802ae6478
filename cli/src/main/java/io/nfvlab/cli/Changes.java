package io.nfvlab.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.Watchable;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Wakes a waiting loop when objects it watches change, instead of a fixed poll interval: the loop reads what it
 * needs, then {@link #await}s the next change after the {@link #mark} it took before reading (so a change between
 * the read and the wait is not missed). A watch that fails or closes leaves the loop on its fallback period, never
 * stuck.
 */
public final class Changes implements AutoCloseable {
    /** How long a wait lasts without any event: the loop re-reads then (a missed or failed watch costs this, once). */
    public static final Duration FALLBACK = Duration.ofSeconds(2);

    private final List<Watch> watches = new ArrayList<>();
    private long seen;

    private Changes() {
    }

    /** Changes of one named object ({@code namespace} null: a cluster-scoped one). */
    public static <T extends HasMetadata> Changes of(KubernetesClient client, Class<T> type, String namespace, String name) {
        Changes c = new Changes();
        MixedOperation<T, KubernetesResourceList<T>, Resource<T>> op = client.resources(type);
        c.watch(namespace == null ? op.withName(name) : op.inNamespace(namespace).withName(name));
        return c;
    }

    /** Changes of every object of these types, in every namespace (cluster-scoped types too). */
    public static Changes ofAll(KubernetesClient client, List<Class<? extends HasMetadata>> types) {
        Changes c = new Changes();
        for (Class<? extends HasMetadata> type : types) {
            c.watchAll(client, type);
        }
        return c;
    }

    private <T extends HasMetadata> void watchAll(KubernetesClient client, Class<T> type) {
        MixedOperation<T, KubernetesResourceList<T>, Resource<T>> op = client.resources(type);
        watch(op.inAnyNamespace());
    }

    private <T extends HasMetadata> void watch(Watchable<T> target) {
        try {
            watches.add(target.watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, T resource) {
                    changed();
                }

                @Override
                public void onClose(WatcherException cause) {
                    changed();
                }
            }));
        } catch (RuntimeException e) {
            // no watch: the loop still re-reads every FALLBACK
        }
    }

    private synchronized void changed() {
        seen++;
        notifyAll();
    }

    /** The current change count, taken before reading the objects. */
    public synchronized long mark() {
        return seen;
    }

    /**
     * Returns as soon as a change arrived after {@code mark}, or after {@code max} (at most {@link #FALLBACK}).
     *
     * @throws CliException on interruption (Ctrl-C while waiting)
     */
    public synchronized void await(long mark, Duration max) {
        long deadline = System.nanoTime() + Math.min(max.toNanos(), FALLBACK.toNanos());
        try {
            while (seen == mark) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERRUPTED, "interrupted");
        }
    }

    @Override
    public void close() {
        for (Watch w : watches) {
            try {
                w.close();
            } catch (RuntimeException e) {
                // closing a broken watch: nothing left to release
            }
        }
    }
}
