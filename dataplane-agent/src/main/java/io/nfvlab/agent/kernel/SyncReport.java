package io.nfvlab.agent.kernel;

import io.nfvlab.agent.kernel.shaping.DelayLineQueue;
import io.nfvlab.api.node.NetworkNodeStateStatus.ItemError;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one sync (or teardown) did: the actions by type, the items that failed, what is ready, and link counters.
 * {@code ovsMissing}: the plan needs Open vSwitch and none answers on this node (its OVS items are among the errors).
 */
public record SyncReport(int actions, List<Action> applied, Map<String, Integer> actionsByType, Map<String, Integer> failuresByType,
                         List<ItemError> errors, int hostsReady, int switchesReady, int linksReady, int tunnelsReady,
                         Duration duration, List<LinkCounters> counters, boolean ovsMissing) {

    /**
     * Kernel counters of one link, read on its root-namespace end (or its first end), and the frames its delay line
     * dropped at its bounds ({@code queueDrops}; null when the link has no delay line).
     */
    public record LinkCounters(String link, String device, Observed.Counters counters, DelayLineQueue.QueueDrops queueDrops) {
    }

    public boolean ok() {
        return errors.isEmpty();
    }
}
