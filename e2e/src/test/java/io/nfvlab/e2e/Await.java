package io.nfvlab.e2e;

import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Polls until a check reports nothing pending. A check returns null when done, or what it still waits for; the
 * timeout's message is the last thing it waited for, so a failed e2e run says which node, pod or test held it up.
 * An API error while polling is a pending state too (a server restarting or a CRD just installed answers 404/503 for a
 * moment); an {@link AssertionError} from the check (a traffic test that Failed) ends the wait at once.
 */
final class Await {
    private final Duration poll;

    Await(Duration poll) {
        this.poll = poll;
    }

    static Await every(Duration poll) {
        return new Await(poll);
    }

    /** @return how long it took */
    Duration until(String what, Duration timeout, Supplier<String> pending) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String last;
        while (true) {
            try {
                last = pending.get();
            } catch (KubernetesClientException e) {
                last = "the API server answered " + (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + e.getMessage();
            }
            if (last == null) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what + "; still: " + last);
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what + "; still: " + last, e);
            }
        }
    }
}
