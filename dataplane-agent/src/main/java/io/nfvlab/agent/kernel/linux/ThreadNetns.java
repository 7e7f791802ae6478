package io.nfvlab.agent.kernel.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * Moves the calling thread into a named network namespace until closed. setns(CLONE_NEWNET) changes only the
 * calling thread, so a socket opened meanwhile belongs to that namespace, and the rest of the agent is unaffected.
 * <p>
 * Inside, create no thread and start no process: a new thread inherits its creator's namespace, and a pooled one
 * would keep a deleted namespace alive as long as it lives (processes go through {@link InNetns}'s nsenter instead).
 * JNA creates its cleaner thread on the first native allocation and lets it end after a while without any; the
 * allocation held here for the life of the JVM makes that thread start out here and never end.
 */
final class ThreadNetns implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final ThreadNetns STAY = new ThreadNetns(-1);

    private static final Memory KEEP_JNA_CLEANER_HERE = new Memory(1);

    private final int home;

    private ThreadNetns(int home) {
        this.home = home;
    }

    /** Enters {@code netns} (null: stays where it is). */
    static ThreadNetns enter(String netns) throws LastErrorException {
        if (netns == null) {
            return STAY;
        }
        LibC c = LibC.INSTANCE;
        int home = c.open("/proc/thread-self/ns/net", O_RDONLY_CLOEXEC);
        int target = -1;
        try {
            target = c.open("/run/netns/" + netns, O_RDONLY_CLOEXEC);
            c.setns(target, CLONE_NEWNET);
            return new ThreadNetns(home);
        } catch (LastErrorException e) {
            c.close(home);
            throw e;
        } finally {
            if (target >= 0) {
                c.close(target);
            }
        }
    }

    @Override
    public void close() {
        if (home < 0) {
            return;
        }
        try {
            LibC.INSTANCE.setns(home, CLONE_NEWNET);
        } catch (LastErrorException e) {
            // a pooled thread left in a host's namespace would do later work there: never let it run on
            throw new IllegalStateException("cannot return thread to its network namespace: errno " + e.getErrorCode(), e);
        } finally {
            LibC.INSTANCE.close(home);
        }
    }
}
