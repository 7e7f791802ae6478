package io.nfvlab.agent.container;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node's container runtime as the agent needs it for container hosts: start a container with no network of its
 * own, find its process (whose network namespace receives the links), remove it. The Podman implementation runs
 * {@code podman} as an argument vector; tests may use a fake.
 */
public interface ContainerRuntime {
    /** What the agent knows of one container. {@code pid} is 0 when it is not running. */
    record Container(String name, boolean running, long pid, Integer exitCode, Map<String, String> labels) {
    }

    /** What to start: {@code command} overrides the image's entrypoint and {@code args} its command, as in a pod. */
    record RunSpec(String name, String image, List<String> command, List<String> args, Map<String, String> env,
                   Map<String, String> sysctls, List<String> capabilities, boolean privileged, Map<String, String> labels) {
    }

    /** A refusal or failure of the runtime, in words for a status message. */
    final class RuntimeFailure extends Exception {
        public RuntimeFailure(String message) {
            super(message);
        }
    }

    /** Its name, the value of the node label nfvlab.io/container-runtime. */
    String name();

    /** Whether the runtime is installed and answers (a node without one cannot run container hosts). */
    boolean available();

    /** {@code podman ps -a --filter label=K=V}: the containers carrying this label, running or not. */
    List<Container> list(String labelKey, String labelValue) throws RuntimeFailure;

    /** {@code podman inspect NAME}, or empty when there is no such container. */
    Optional<Container> inspect(String name) throws RuntimeFailure;

    /**
     * The container that is pod {@code name} of namespace {@code namespace} (a referenced pod): for podman, where there
     * are no namespaces, the container of that name; for pods the kubelet runs, the sandbox nfvlab's CNI recorded.
     */
    default Optional<Container> inspectPod(String namespace, String name) throws RuntimeFailure {
        return inspect(name);
    }

    /** The network namespace of a running container (a path that can be bind-mounted), or null when it has none. */
    default Path netnsOf(Container c) {
        return c.running() && c.pid() > 0 ? Path.of("/proc", Long.toString(c.pid()), "ns", "net") : null;
    }

    /** {@code podman run -d --name N --network none --pull never … IMAGE [ARGS]}: never pulls. */
    void run(RunSpec spec) throws RuntimeFailure;

    /** {@code podman rm -f -t 0 NAME…} (one call for all: each call costs a process and podman's locks); a container
     * that is gone is not a failure. */
    void remove(List<String> names) throws RuntimeFailure;

    /** The argument vector that runs {@code command} inside the container (for the CLI's {@code r1 cmd}). */
    List<String> execArgv(String name, List<String> command);
}
