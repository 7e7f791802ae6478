package io.nfvlab.agent.container;

import io.nfvlab.api.Nfvlab;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Container hosts on a cluster node: Pods that the operator creates and the kubelet runs. The agent starts and removes
 * nothing here; a host's container is the pod's sandbox, whose network namespace nfvlab's CNI executable recorded
 * ({@link PodSandboxes}) when the kubelet called it. A pod without a recorded sandbox is not running yet (or any more).
 */
public final class KubeletPods implements ContainerRuntime {
    private final String node;
    private final PodSandboxes sandboxes;

    public KubeletPods(String node, PodSandboxes sandboxes) {
        this.node = node;
        this.sandboxes = sandboxes;
    }

    @Override
    public String name() {
        return Nfvlab.KUBELET_RUNTIME;
    }

    @Override
    public boolean available() {
        return true;
    }

    /** Nothing is labelled here: the operator owns the Pods, and CNI DEL drops the records. */
    @Override
    public List<Container> list(String labelKey, String labelValue) {
        return List.of();
    }

    @Override
    public Optional<Container> inspect(String name) {
        return Optional.empty();
    }

    @Override
    public Optional<Container> inspectPod(String namespace, String name) throws RuntimeFailure {
        Optional<PodSandboxes.Sandbox> s = sandboxes.find(namespace, name);
        if (s.isEmpty()) {
            throw new RuntimeFailure("pod " + namespace + "/" + name + " has no sandbox on node " + node
                    + " (the kubelet has not called nfvlab's CNI for it yet, or the pod is gone)");
        }
        return Optional.of(new Container(namespace + "/" + name, true, 0, null,
                Map.of(Nfvlab.CONTAINER_RUNTIME_LABEL, s.get().containerId())));
    }

    @Override
    public Path netnsOf(Container c) {
        int slash = c.name().indexOf('/');
        return slash < 0 ? null : sandboxes.find(c.name().substring(0, slash), c.name().substring(slash + 1))
                .map(PodSandboxes.Sandbox::netns).orElse(null);
    }

    @Override
    public void run(RunSpec spec) throws RuntimeFailure {
        throw new RuntimeFailure("on a cluster the operator creates the pod of a container host; the agent starts none");
    }

    @Override
    public void remove(List<String> names) {
        // the operator deletes the Pods it created; a referenced pod is never removed
    }

    @Override
    public List<String> execArgv(String name, List<String> command) {
        throw new UnsupportedOperationException("a pod host runs commands through kubectl exec");
    }
}
