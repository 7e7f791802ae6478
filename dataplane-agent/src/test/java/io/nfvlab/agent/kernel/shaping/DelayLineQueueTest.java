package io.nfvlab.agent.kernel.shaping;

import io.nfvlab.agent.kernel.shaping.DelayLineQueue.ByteBudget;
import io.nfvlab.agent.kernel.shaping.DelayLineQueue.QueueDrops;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DelayLineQueueTest {
    private static final long LATER = System.nanoTime() + TimeUnit.HOURS.toNanos(1);

    @Test
    void aFullQueueDropsAtTheLinksFrameLimitAndCountsItAsAFrameDrop() {
        DelayLineQueue q = new DelayLineQueue(3, 1 << 20, new ByteBudget(1 << 20));
        for (int i = 0; i < 5; i++) {
            q.offer(new byte[100], LATER);
        }
        assertThat(q.frames()).isEqualTo(3);
        assertThat(q.drops()).isEqualTo(new QueueDrops(2, 0));
    }

    @Test
    void bigFramesAreBoundedByBytesLongBeforeTheFrameLimit() {
        DelayLineQueue q = new DelayLineQueue(1000, 200_000, new ByteBudget(1 << 30));
        int accepted = 0;
        for (int i = 0; i < 1000; i++) {
            accepted += q.offer(new byte[65_000], LATER) ? 1 : 0;
        }
        assertThat(accepted).isEqualTo(3);
        assertThat(q.bytes()).isEqualTo(195_000);
        assertThat(q.drops()).isEqualTo(new QueueDrops(0, 997));
    }

    @Test
    void linesShareTheAgentsBudgetAndGiveItBackAsFramesLeave() throws InterruptedException {
        ByteBudget budget = new ByteBudget(10_000);
        DelayLineQueue a = new DelayLineQueue(1000, 1 << 20, budget);
        DelayLineQueue b = new DelayLineQueue(1000, 1 << 20, budget);
        assertThat(a.offer(new byte[6_000], System.nanoTime())).isTrue();
        assertThat(b.offer(new byte[6_000], LATER)).as("the budget is taken by a").isFalse();
        assertThat(b.drops()).isEqualTo(new QueueDrops(0, 1));

        assertThat(a.poll(1, TimeUnit.SECONDS)).isNotNull();
        assertThat(budget.used()).isZero();
        assertThat(b.offer(new byte[6_000], LATER)).isTrue();
        b.clear();
        assertThat(budget.used()).isZero();
        assertThat(b.frames()).isZero();
        assertThat(b.bytes()).isZero();
    }

    @Test
    void framesLeaveWhenDueAndInOrder() throws InterruptedException {
        DelayLineQueue q = new DelayLineQueue(10, 1 << 20, new ByteBudget(1 << 20));
        long now = System.nanoTime();
        q.offer(new byte[]{1}, now + TimeUnit.MILLISECONDS.toNanos(20));
        q.offer(new byte[]{2}, now + TimeUnit.MILLISECONDS.toNanos(40));
        assertThat(q.poll(0, TimeUnit.MILLISECONDS)).as("not due yet").isNull();
        assertThat(q.poll(1, TimeUnit.SECONDS).data()).containsExactly(1);
        assertThat(q.poll(1, TimeUnit.SECONDS).data()).containsExactly(2);
    }
}
