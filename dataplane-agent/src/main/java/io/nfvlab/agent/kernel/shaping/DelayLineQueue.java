package io.nfvlab.agent.kernel.shaping;

import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The frames of one direction of a delay line, each waiting until it is due. Bounded three ways: the link's queue
 * limit in frames (what the link emulates), the line's own byte limit, and the byte budget every delay line of the
 * agent draws from (so that many lines together cannot take the agent's heap either). A frame that finds a bound
 * reached is dropped and counted by {@link QueueDrops}: as a queue drop, never as the link's emulated loss.
 * One thread offers, one polls.
 */
public final class DelayLineQueue {
    /** A frame and the time (System.nanoTime) it is due. */
    public record Frame(byte[] data, long due) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(due, ((Frame) o).due);
        }
    }

    /**
     * Frames dropped so far: {@code frames} at the link's queue limit, {@code bytes} at a byte bound (the line's or
     * the agent's budget).
     */
    public record QueueDrops(long frames, long bytes) {
        public static final QueueDrops NONE = new QueueDrops(0, 0);

        public QueueDrops plus(QueueDrops o) {
            return new QueueDrops(frames + o.frames, bytes + o.bytes);
        }
    }

    /**
     * Bytes that every delay line of one agent draws from together; it also counts the frames all of them dropped at
     * a byte bound, which is this node's loss rather than any emulated link's.
     */
    public static final class ByteBudget {
        private final long total;
        private final AtomicLong used = new AtomicLong();
        private final AtomicLong byteBoundDrops = new AtomicLong();

        public ByteBudget(long total) {
            this.total = total;
        }

        boolean take(long n) {
            while (true) {
                long now = used.get();
                if (now + n > total) {
                    return false;
                }
                if (used.compareAndSet(now, now + n)) {
                    return true;
                }
            }
        }

        void give(long n) {
            used.addAndGet(-n);
        }

        public long used() {
            return used.get();
        }

        /** Frames dropped at a byte bound by every line of this budget since it was made; only grows. */
        public long byteBoundDrops() {
            return byteBoundDrops.get();
        }
    }

    private final DelayQueue<Frame> queue = new DelayQueue<>();
    private final int frameLimit;
    private final long byteLimit;
    private final ByteBudget budget;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong frameDrops = new AtomicLong();
    private final AtomicLong byteDrops = new AtomicLong();

    public DelayLineQueue(int frameLimit, long byteLimit, ByteBudget budget) {
        this.frameLimit = frameLimit;
        this.byteLimit = byteLimit;
        this.budget = budget;
    }

    /** Queues {@code frame} until {@code due}; false when a bound dropped it. */
    public boolean offer(byte[] frame, long due) {
        if (queue.size() >= frameLimit) {
            frameDrops.incrementAndGet();
            return false;
        }
        if (bytes.get() + frame.length > byteLimit || !budget.take(frame.length)) {
            byteDrops.incrementAndGet();
            budget.byteBoundDrops.incrementAndGet();
            return false;
        }
        bytes.addAndGet(frame.length);
        queue.add(new Frame(frame, due));
        return true;
    }

    /** The next due frame, waiting up to {@code timeout}; null when none came due. */
    public Frame poll(long timeout, TimeUnit unit) throws InterruptedException {
        Frame f = queue.poll(timeout, unit);
        if (f != null) {
            release(f);
        }
        return f;
    }

    /** Drops what is still waiting (the line stops) and gives its bytes back to the budget. */
    public void clear() {
        Frame f;
        while ((f = queue.poll()) != null || (f = firstWaiting()) != null) {
            release(f);
        }
    }

    private Frame firstWaiting() {
        Frame f = queue.peek();
        return f != null && queue.remove(f) ? f : null;
    }

    private void release(Frame f) {
        bytes.addAndGet(-f.data().length);
        budget.give(f.data().length);
    }

    public int frames() {
        return queue.size();
    }

    public long bytes() {
        return bytes.get();
    }

    public QueueDrops drops() {
        return new QueueDrops(frameDrops.get(), byteDrops.get());
    }
}
