package io.nfvlab.agent.container;

import java.util.List;
import java.util.Optional;

/** A node without a container runtime: container hosts on it are reported as not runnable. */
public final class NoContainerRuntime implements ContainerRuntime {
    @Override
    public String name() {
        return "none";
    }

    @Override
    public boolean available() {
        return false;
    }

    @Override
    public List<Container> list(String labelKey, String labelValue) {
        return List.of();
    }

    @Override
    public Optional<Container> inspect(String name) {
        return Optional.empty();
    }

    @Override
    public void run(RunSpec spec) throws RuntimeFailure {
        throw new RuntimeFailure("no container runtime on this node");
    }

    @Override
    public void remove(List<String> names) {
    }

    @Override
    public List<String> execArgv(String name, List<String> command) {
        throw new UnsupportedOperationException("no container runtime on this node");
    }
}
