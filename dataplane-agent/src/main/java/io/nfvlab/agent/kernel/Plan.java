package io.nfvlab.agent.kernel;

import io.nfvlab.api.node.NetworkNodeStateStatus.ItemError;

import java.util.List;

/** The planner's answer: the actions to apply, in order, and the items it refuses to touch (with the reason). */
public record Plan(List<Action> actions, List<ItemError> errors) {
    public boolean isEmpty() {
        return actions.isEmpty();
    }
}
