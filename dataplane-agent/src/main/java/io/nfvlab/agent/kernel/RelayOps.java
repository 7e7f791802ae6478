package io.nfvlab.agent.kernel;

import io.nfvlab.agent.kernel.shaping.DelayLine;
import io.nfvlab.agent.kernel.shaping.DelayLineQueue;
import io.nfvlab.agent.kernel.shaping.RelayKey;

import java.util.List;
import java.util.Map;

/**
 * Delay lines: a pair of raw packet sockets per link that hold frames for the link's delay (± jitter) before
 * passing them on. Linux: AF_PACKET sockets with virtio-net headers (offloads pass through) inside the agent
 * process, so they die with it and the next start brings them back.
 */
public interface RelayOps {
    /** Running delay lines and what each does. */
    Map<RelayKey, DelayLine> running();

    /**
     * Frames each delay line has dropped at its bounds so far, by line; a line restarted with new parameters keeps
     * counting where it was, a stopped one is forgotten.
     */
    Map<RelayKey, DelayLineQueue.QueueDrops> queueDrops();

    /** Frames every delay line of this agent dropped at a byte bound since it started; only grows. */
    long byteBoundDrops();

    /** Applies RelayStart and RelayStop actions. */
    BatchResult relay(List<Action> actions);

    /** Stops every delay line (the agent is stopping). */
    void stopAll();
}
