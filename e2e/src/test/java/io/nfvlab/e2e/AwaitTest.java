package io.nfvlab.e2e;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwaitTest {
    private final Await await = Await.every(Duration.ofMillis(5));

    @Test
    void returnsOnceTheCheckReportsNothingPending() {
        AtomicInteger calls = new AtomicInteger();
        await.until("three calls", Duration.ofSeconds(5), () -> calls.incrementAndGet() < 3 ? "call " + calls.get() : null);
        assertThat(calls).hasValue(3);
    }

    @Test
    void aTimeoutNamesWhatItWaitedForAndWhatWasStillMissing() {
        assertThatThrownBy(() -> await.until("the agent on node-2", Duration.ofMillis(50), () -> "node-2 not labelled"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("waiting for the agent on node-2")
                .hasMessageContaining("still: node-2 not labelled");
    }

    @Test
    void anApiErrorIsAPendingStateNotTheEndOfTheWait() {
        AtomicInteger calls = new AtomicInteger();
        await.until("a CRD that is being established", Duration.ofSeconds(5), () -> {
            if (calls.incrementAndGet() == 1) {
                throw new KubernetesClientException("the server could not find the requested resource", 404, null);
            }
            return null;
        });
        assertThat(calls).hasValue(2);
    }

    @Test
    void anAssertionFromTheCheckEndsTheWaitAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> await.until("tests", Duration.ofSeconds(30), () -> {
            calls.incrementAndGet();
            throw new AssertionError("TrafficTest t Failed");
        })).hasMessage("TrafficTest t Failed");
        assertThat(calls).hasValue(1);
    }
}
