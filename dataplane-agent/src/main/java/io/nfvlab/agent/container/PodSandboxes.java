package io.nfvlab.agent.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nfvlab.agent.process.CommandRunner;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Which pod sandbox on this node has which network namespace, as nfvlab's CNI executable was told by the kubelet (any
 * CRI runtime hands CNI_NETNS to the plugins it calls). Each record is two files under the agent's own root:
 * {@code <namespace>_<pod>.netns}, a bind mount of the sandbox's namespace (so the path stays valid for the agent
 * whatever the runtime calls it, and in the agent's mount namespace), and {@code <namespace>_<pod>.json} with the
 * pod's identity and the sandbox's container id. Records survive an agent restart; CNI DEL removes them.
 * <p>
 * Shell equivalent of {@link #add}: {@code touch ROOT/NS_POD.netns && mount --bind $CNI_NETNS ROOT/NS_POD.netns}.
 */
public final class PodSandboxes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** A Kubernetes namespace or pod name: never '_' or '/', so "NS_POD" is unambiguous and stays under the root. */
    static final Pattern K8S_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");

    /** One pod's sandbox: its identity, the CNI container id of the sandbox, and the bound namespace. */
    public record Sandbox(String namespace, String pod, String uid, String containerId, Path netns) {
    }

    private final Path root;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** @param root the directory for the records, under the agent's run root (e.g. /var/run/nfvlab/pods) */
    public PodSandboxes(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** {@code listener} gets the pod's namespace each time one of its pods' sandboxes is added or removed. */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /**
     * Records the sandbox of pod {@code namespace/pod}: a restarted pod (a new sandbox, a new ADD) replaces the record
     * of the old one. The path must be a namespace file (nsfs), e.g. /proc/PID/ns/net or /var/run/netns/cni-….
     */
    public synchronized Sandbox add(String namespace, String pod, String uid, String containerId, Path cniNetns)
            throws ContainerRuntime.RuntimeFailure {
        requireName(namespace, "K8S_POD_NAMESPACE");
        requireName(pod, "K8S_POD_NAME");
        CommandRunner.Result fs = CommandRunner.run(List.of("stat", "-f", "-c", "%T", "--", cniNetns.toString()), TIMEOUT);
        if (!fs.ok() || !fs.stdout().trim().equals("nsfs")) {
            throw new ContainerRuntime.RuntimeFailure("CNI_NETNS " + cniNetns + " is not a namespace file"
                    + (fs.ok() ? " (file system " + fs.stdout().trim() + ")" : ": " + fs.firstErrorLine()));
        }
        Optional<Sandbox> old = find(namespace, pod);
        if (old.isPresent()) {
            unbind(old.get());
        }
        Path bound = root.resolve(namespace + "_" + pod + ".netns");
        try {
            Files.createDirectories(root);
            Files.deleteIfExists(bound);
            Files.createFile(bound);
        } catch (IOException e) {
            throw new ContainerRuntime.RuntimeFailure("cannot create " + bound + ": " + e.getMessage());
        }
        CommandRunner.Result r = CommandRunner.run(List.of("mount", "--bind", cniNetns.toString(), bound.toString()), TIMEOUT);
        if (!r.ok()) {
            deleteQuietly(bound);
            throw new ContainerRuntime.RuntimeFailure("cannot bind the sandbox namespace " + cniNetns + ": " + r.firstErrorLine());
        }
        Sandbox s = new Sandbox(namespace, pod, uid, containerId, bound);
        try {
            Files.writeString(recordOf(namespace, pod), JSON.writeValueAsString(new Stored(namespace, pod, uid, containerId)));
        } catch (IOException e) {
            unbind(s);
            throw new ContainerRuntime.RuntimeFailure("cannot write the record of pod " + namespace + "/" + pod + ": " + e.getMessage());
        }
        listeners.forEach(l -> l.accept(namespace));
        return s;
    }

    /** The sandbox recorded for pod {@code namespace/pod}. */
    public synchronized Optional<Sandbox> find(String namespace, String pod) {
        if (namespace == null || pod == null || !K8S_NAME.matcher(namespace).matches() || !K8S_NAME.matcher(pod).matches()) {
            return Optional.empty();
        }
        return read(recordOf(namespace, pod));
    }

    /** The sandbox CNI knows by {@code containerId} (what DEL names), if recorded. */
    public synchronized Optional<Sandbox> byContainerId(String containerId) {
        return all().stream().filter(s -> s.containerId().equals(containerId)).findFirst();
    }

    public synchronized List<Sandbox> all() {
        List<Sandbox> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(root, "*.json")) {
            for (Path f : files) {
                read(f).ifPresent(out::add);
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Drops the record and its bind mount (the sandbox's namespace itself belongs to the runtime). */
    public synchronized void remove(Sandbox s) throws ContainerRuntime.RuntimeFailure {
        unbind(s);
        listeners.forEach(l -> l.accept(s.namespace()));
    }

    private void unbind(Sandbox s) throws ContainerRuntime.RuntimeFailure {
        if (Files.exists(s.netns())) {
            CommandRunner.Result r = CommandRunner.run(List.of("umount", s.netns().toString()), TIMEOUT);
            if (!r.ok() && !r.stderr().contains("not mounted")) {
                throw new ContainerRuntime.RuntimeFailure("cannot unmount " + s.netns() + ": " + r.firstErrorLine());
            }
        }
        deleteQuietly(s.netns());
        deleteQuietly(recordOf(s.namespace(), s.pod()));
    }

    private Optional<Sandbox> read(Path record) {
        try {
            if (!Files.isRegularFile(record)) {
                return Optional.empty();
            }
            Stored st = JSON.readValue(Files.readString(record), Stored.class);
            return Optional.of(new Sandbox(st.namespace(), st.pod(), st.uid(), st.containerId(),
                    root.resolve(st.namespace() + "_" + st.pod() + ".netns")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Path recordOf(String namespace, String pod) {
        return root.resolve(namespace + "_" + pod + ".json");
    }

    private static void requireName(String value, String field) throws ContainerRuntime.RuntimeFailure {
        if (value == null || !K8S_NAME.matcher(value).matches()) {
            throw new ContainerRuntime.RuntimeFailure(field + " is not a Kubernetes name");
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover empty file: the next add for that pod replaces it
        }
    }

    private record Stored(String namespace, String pod, String uid, String containerId) {
    }
}
