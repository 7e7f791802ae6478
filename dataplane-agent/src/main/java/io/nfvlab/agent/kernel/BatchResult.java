package io.nfvlab.agent.kernel;

import java.util.ArrayList;
import java.util.List;

/** The outcome of one batch: the actions that failed, each with a one-line reason. */
public record BatchResult(List<Failure> failures) {
    public static final BatchResult OK = new BatchResult(List.of());

    public record Failure(Action action, String message) {
    }

    public static BatchResult allFailed(List<? extends Action> actions, String message) {
        List<Failure> f = new ArrayList<>();
        actions.forEach(a -> f.add(new Failure(a, message)));
        return new BatchResult(f);
    }

    public BatchResult plus(BatchResult other) {
        if (other.failures.isEmpty()) {
            return this;
        }
        List<Failure> f = new ArrayList<>(failures);
        f.addAll(other.failures);
        return new BatchResult(f);
    }
}
