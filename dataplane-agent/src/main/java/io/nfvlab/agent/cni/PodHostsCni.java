package io.nfvlab.agent.cni;

import io.nfvlab.agent.container.ContainerRuntime;
import io.nfvlab.agent.container.PodSandboxes;
import io.nfvlab.agent.container.SandboxInterfaces;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * nfvlab's CNI for container hosts on a cluster: the network {@value #MODE} (a Multus NetworkAttachmentDefinition the
 * operator's pods name in their {@code k8s.v1.cni.cncf.io/networks} annotation, or a chained plugin). ADD records the
 * sandbox of pod K8S_POD_NAMESPACE/K8S_POD_NAME ({@link PodSandboxes}) and answers at once; the agent then moves the
 * pod's links into that namespace at its next sync, which the record wakes. No interface named CNI_IFNAME is made:
 * the links are eth1, eth2, … as the topology plans them. DEL removes nfvlab's interfaces and the record (a restarted
 * pod gets a new ADD and its links again). CHECK answers whether the record is there; STATUS is ready; GC (CNI 1.1)
 * releases every recorded sandbox whose container id is not among {@code cni.dev/valid-attachments}, as DEL would:
 * what a sandbox that vanished without a DEL (a node crash) left behind.
 * <p>
 * Configuration: {@code {"cniVersion":"1.0.0","name":"nfvlab-hosts","type":"nfvlab-cni","mode":"pod-hosts"}}; as a
 * chained plugin, the previous plugin's result is passed through unchanged.
 */
public final class PodHostsCni {
    public static final String MODE = "pod-hosts";

    private final PodSandboxes sandboxes;
    private final SandboxInterfaces interfaces;
    private final ContainerLocks locks;

    public PodHostsCni(PodSandboxes sandboxes, SandboxInterfaces interfaces, ContainerLocks locks) {
        this.sandboxes = sandboxes;
        this.interfaces = interfaces;
        this.locks = locks;
    }

    /** Whether this invocation's configuration is the pod-hosts network (anything else is the userspace plugin's). */
    public static boolean handles(String stdin) {
        try {
            return Json.parse(stdin) instanceof Map<?, ?> m && MODE.equals(m.get("mode"));
        } catch (Json.ParseException | RuntimeException e) {
            return false;
        }
    }

    /** Routes the pod-hosts network here and every other configuration to {@code others}. */
    public CniSocketServer.Handler before(CniSocketServer.Handler others) {
        return (env, stdin) -> handles(stdin) ? execute(env, stdin) : others.handle(env, stdin);
    }

    public CniPlugin.Outcome execute(Map<String, String> env, String stdin) {
        String version = CniRequest.LATEST_VERSION;
        try {
            Map<String, Object> config = config(stdin);
            version = (String) config.get("cniVersion");
            String command = env.get("CNI_COMMAND");
            if ("VERSION".equals(command)) {
                return new CniPlugin.Outcome(0, Json.write(Map.of("cniVersion", version, "supportedVersions", CniRequest.SUPPORTED_VERSIONS)), "");
            }
            if ("STATUS".equals(command)) {
                return new CniPlugin.Outcome(0, "", "");
            }
            if ("GC".equals(command)) {
                return new CniPlugin.Outcome(0, "", gc(config));
            }
            if (!List.of("ADD", "DEL", "CHECK").contains(command)) {
                throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_COMMAND is not one of ADD, DEL, CHECK, VERSION, STATUS, GC");
            }
            String containerId = env.get("CNI_CONTAINERID");
            if (containerId == null || !CniRequest.CONTAINER_ID.matcher(containerId).matches()) {
                throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_CONTAINERID is missing or not a container id");
            }
            try (var held = locks.lock(containerId)) {
                return switch (command) {
                    case "ADD" -> new CniPlugin.Outcome(0, add(env, config, containerId, version), "");
                    case "DEL" -> new CniPlugin.Outcome(0, "", del(containerId));
                    default -> {
                        check(env, containerId);
                        yield new CniPlugin.Outcome(0, "", "");
                    }
                };
            }
        } catch (CniException e) {
            return new CniPlugin.Outcome(1, e.toJson(version), "");
        } catch (RuntimeException e) {
            return new CniPlugin.Outcome(1, new CniException(CniException.IO_FAILURE, "internal error: " + e).toJson(version), "");
        }
    }

    private String add(Map<String, String> env, Map<String, Object> config, String containerId, String version) throws CniException {
        String netns = env.get("CNI_NETNS");
        if (netns == null || !netns.startsWith("/") || netns.contains("\0") || netns.contains("..") || netns.length() > 4096) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_NETNS is not set or not an absolute path");
        }
        Map<String, String> args = CniRequest.cniArgs(env.get("CNI_ARGS"));
        String namespace = args.get("K8S_POD_NAMESPACE");
        String pod = args.get("K8S_POD_NAME");
        if (namespace == null || pod == null) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_ARGS must carry K8S_POD_NAMESPACE and K8S_POD_NAME "
                    + "(the kubelet sets them): the pod-hosts network serves pods only");
        }
        try {
            sandboxes.add(namespace, pod, args.get("K8S_POD_UID"), containerId, Path.of(netns));
        } catch (ContainerRuntime.RuntimeFailure e) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, e.getMessage());
        }
        Object prev = config.get("prevResult");
        Map<String, Object> result = new LinkedHashMap<>();
        if (prev instanceof Map<?, ?> p) {
            // chained: the interfaces and addresses are the previous plugin's; nfvlab adds its links later
            p.forEach((k, v) -> result.put(String.valueOf(k), v));
            result.put("cniVersion", version);
            return Json.write(result);
        }
        result.put("cniVersion", version);
        result.put("interfaces", List.of());
        result.put("ips", List.of());
        result.put("dns", Map.of());
        return Json.write(result);
    }

    private String del(String containerId) throws CniException {
        Optional<PodSandboxes.Sandbox> s = sandboxes.byContainerId(containerId);
        if (s.isEmpty()) {
            return ""; // DEL of what is not there succeeds, as the spec asks
        }
        try {
            List<String> removed = interfaces.release(s.get().netns());
            sandboxes.remove(s.get());
            return removed.isEmpty() ? "" : "removed " + String.join(" ", removed) + "\n";
        } catch (ContainerRuntime.RuntimeFailure e) {
            throw new CniException(CniException.IO_FAILURE, e.getMessage());
        }
    }

    private String gc(Map<String, Object> config) throws CniException {
        if (!(config.get("cni.dev/valid-attachments") instanceof List<?> valid)) {
            return ""; // a GC that names nothing valid is no licence to remove everything
        }
        java.util.Set<String> keep = new java.util.HashSet<>();
        for (Object a : valid) {
            if (a instanceof Map<?, ?> m && m.get("containerID") instanceof String id) {
                keep.add(id);
            }
        }
        StringBuilder removed = new StringBuilder();
        for (PodSandboxes.Sandbox s : sandboxes.all()) {
            if (!keep.contains(s.containerId())) {
                try (var held = locks.lock(s.containerId())) {
                    removed.append(del(s.containerId()));
                }
            }
        }
        return removed.toString();
    }

    private void check(Map<String, String> env, String containerId) throws CniException {
        if (sandboxes.byContainerId(containerId).isEmpty()) {
            throw new CniException(CniException.UNKNOWN_CONTAINER, "no sandbox " + containerId + " is recorded on this node");
        }
    }

    private static Map<String, Object> config(String stdin) throws CniException {
        Map<String, Object> config = CniRequest.config(stdin);
        if (!(config.get("cniVersion") instanceof String v) || !CniRequest.SUPPORTED_VERSIONS.contains(v)) {
            throw new CniException(CniException.INCOMPATIBLE_VERSION, "cniVersion is missing or not one of "
                    + String.join(", ", CniRequest.SUPPORTED_VERSIONS));
        }
        if (!(config.get("name") instanceof String n) || !CniRequest.NETWORK.matcher(n).matches()) {
            throw new CniException(CniException.INVALID_NETWORK_CONFIG, "name is missing or not a network name");
        }
        return config;
    }
}
