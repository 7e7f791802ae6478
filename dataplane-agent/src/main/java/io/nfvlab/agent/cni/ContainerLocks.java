package io.nfvlab.agent.cni;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes the invocations that touch one container's attachments: its interfaces share a directory (created by
 * one ADD, removed by the last DEL) and a pod annotation (read, changed, written back). Different containers run in
 * parallel. A plugin process serves one invocation and needs none of this; the agent serves many at once.
 */
public interface ContainerLocks {
    /** Held until closed. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** One invocation per process: nothing to serialize against. */
    ContainerLocks NONE = containerId -> () -> {
    };

    Held lock(String containerId);

    /**
     * A fixed set of locks chosen by the container ID's hash: bounded memory and nothing to clean up, at the price
     * of two containers that share a stripe waiting for each other now and then.
     */
    static ContainerLocks striped(int stripes) {
        ReentrantLock[] locks = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            locks[i] = new ReentrantLock();
        }
        return containerId -> {
            ReentrantLock lock = locks[Math.floorMod(containerId.hashCode(), stripes)];
            lock.lock();
            return lock::unlock;
        };
    }
}
