package io.nfvlab.agent.cni;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContainerLocksTest {
    @Test
    void aSecondInvocationForTheSameContainerWaitsForTheFirst() throws Exception {
        ContainerLocks locks = ContainerLocks.striped(64);
        CompletableFuture<Void> second;
        try (var held = locks.lock("c1")) {
            second = CompletableFuture.runAsync(() -> locks.lock("c1").close());
            assertThatThrownBy(() -> second.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        }
        second.get(5, TimeUnit.SECONDS);
        assertThat(second).isDone();
    }
}
