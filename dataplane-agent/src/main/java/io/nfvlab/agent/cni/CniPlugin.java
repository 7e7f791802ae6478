package io.nfvlab.agent.cni;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The userspace (OVS-DPDK vhost-user) CNI plugin: ADD creates a vhost-user port on the bridge for the container with
 * its socket in a per-container shared directory, delegates IPAM, records what it did, publishes the container's
 * configuration and prints the result; DEL undoes exactly that and succeeds when nothing is left.
 *
 * <p>One instance serves the agent's CNI socket (many invocations at once, one at a time per container) and the
 * plugin's JVM entry point (one invocation). Every invocation brings its own environment and stdin as data.
 */
public final class CniPlugin {
    /** What the executable prints on stdout and stderr and how it exits. */
    public record Outcome(int exitCode, String stdout, String stderr) {
        /** stdout as printed: the result or error object on one line, nothing at all for an empty result. */
        public String printed() {
            return stdout.isEmpty() ? "" : stdout + "\n";
        }
    }

    private static final Pattern SIMPLE = Pattern.compile("^[A-Za-z0-9_.-]+$");

    private final AttachmentPublisher publisher;
    private final ContainerLocks locks;
    private final OvsPorts ovs = OvsPorts.system();

    private final CniRoots roots;

    /** With the default roots ({@link CniRoots#DEFAULT}). */
    public CniPlugin(AttachmentPublisher publisher, ContainerLocks locks) {
        this(publisher, locks, CniRoots.DEFAULT);
    }

    /** {@code roots}: the only directories it writes and deletes in, whatever a network configuration names. */
    public CniPlugin(AttachmentPublisher publisher, ContainerLocks locks, CniRoots roots) {
        this.publisher = publisher;
        this.locks = locks;
        this.roots = roots;
    }

    public Outcome execute(Map<String, String> env, String stdin) {
        String version = CniRequest.LATEST_VERSION;
        StringBuilder stderr = new StringBuilder();
        try {
            CniRequest req = CniRequest.parse(env, stdin, roots);
            version = req.cniVersion();
            return switch (req.command()) {
                case "VERSION" -> new Outcome(0, versionResult(version), "");
                case "ADD" -> {
                    try (var held = locks.lock(req.containerId())) {
                        String result = add(req, stderr);
                        yield new Outcome(0, result, stderr.toString());
                    }
                }
                case "DEL" -> {
                    try (var held = locks.lock(req.containerId())) {
                        del(req, stderr);
                    }
                    yield new Outcome(0, "", stderr.toString());
                }
                case "CHECK" -> {
                    try (var held = locks.lock(req.containerId())) {
                        check(req);
                    }
                    yield new Outcome(0, "", "");
                }
                case "STATUS" -> {
                    status(req);
                    yield new Outcome(0, "", "");
                }
                case "GC" -> {
                    gc(req, stderr);
                    yield new Outcome(0, "", stderr.toString());
                }
                default -> throw new CniException(CniException.INVALID_ENVIRONMENT, "unknown command");
            };
        } catch (CniException e) {
            return new Outcome(1, e.toJson(errorVersion(version, stdin)), stderr.toString());
        } catch (RuntimeException e) {
            return new Outcome(1, new CniException(CniException.IO_FAILURE, "internal error: " + e)
                    .toJson(errorVersion(version, stdin)), stderr.toString());
        }
    }

    /**
     * An error answers in the request's version, even when the request failed before its version was validated: a
     * runtime refuses an error object of a version it does not know. An unsupported or missing version gets ours.
     */
    private static String errorVersion(String parsed, String stdin) {
        if (!parsed.equals(CniRequest.LATEST_VERSION)) {
            return parsed;
        }
        String requested = CniRequest.versionOf(stdin);
        return CniRequest.SUPPORTED_VERSIONS.contains(requested) ? requested : CniRequest.LATEST_VERSION;
    }

    private static String versionResult(String version) {
        Map<String, Object> result = new LinkedHashMap<>(); // the spec's order, the same on every call
        result.put("cniVersion", version);
        result.put("supportedVersions", CniRequest.SUPPORTED_VERSIONS);
        return Json.write(result);
    }

    /** Socket file name in the shared directory: the userspace CNI's {@code <id[:12]>-<ifname>} where that is safe. */
    static String socketName(String containerId, String ifname, String port) {
        String name = containerId.substring(0, Math.min(12, containerId.length())) + "-" + ifname;
        return SIMPLE.matcher(ifname).matches() ? name : port;
    }

    private String add(CniRequest req, StringBuilder stderr) throws CniException {
        Path sharedDir = Path.of(req.sharedRoot(), AttachmentNames.containerDir(req.containerId()));
        CniRoots.checkNoLinks("stateDir", Path.of(req.stateDir()), roots.state());
        CniRoots.checkNoLinks("sharedDir", sharedDir, roots.shared());
        // no separate bridge check: adding the port fails on a missing bridge
        if (req.ipam() != null) {
            Ipam.find((String) req.ipam().get("type"), req.cniPath());
            Ipam.checkDataDir(req, roots.ipam());
        }
        AttachmentStore store = new AttachmentStore(req.stateDir());
        Path stateFile = store.file(req.network(), req.containerId(), req.ifname());
        String port = AttachmentNames.port(req.containerId(), req.ifname());
        String mac = AttachmentNames.mac(req.containerId(), req.ifname());
        Path socket = sharedDir.resolve(socketName(req.containerId(), req.ifname(), port));
        Path configFile = sharedDir.resolve(socket.getFileName() + ".json");

        Map<String, Object> record = new LinkedHashMap<>();
        record.put("network", req.network());
        record.put("containerId", req.containerId());
        record.put("ifname", req.ifname());
        record.put("netns", req.netns());
        record.put("bridge", req.bridge());
        record.put("port", port);
        record.put("mac", mac);
        record.put("ovsMode", req.ovsClientMode() ? "client" : "server");
        record.put("sharedDir", sharedDir.toString());
        record.put("socket", socket.toString());
        record.put("configFile", configFile.toString());
        record.put("ipamType", req.ipam() == null ? null : req.ipam().get("type"));
        if (req.podNamespace() != null && req.podName() != null) {
            record.put("podNamespace", req.podNamespace());
            record.put("podName", req.podName());
        }
        // intent first, and only once (an fsync costs milliseconds): DEL needs nothing learnt later, so if anything
        // below fails or the process is killed, DEL finds what to undo
        store.write(stateFile, record);
        try {
            Map<String, Object> ipamResult = req.ipam() == null ? Map.of() : Ipam.add(req, roots.ipam());
            Files.createDirectories(sharedDir);
            ovs.addPort(req.bridge(), port, req.ovsClientMode(), socket.toString(), req.containerId(), mac);
            if (!req.ovsClientMode()) {
                linkServerSocket(OvsPorts.OVS_RUN_DIR.resolve(port), socket);
            }
            Map<String, Object> result = result(req, socket, mac, ipamResult);
            Map<String, Object> published = configurationData(req, socket, mac, ipamResult);
            // not through a link a pod may have put in its shared directory
            Files.writeString(configFile, Json.write(published), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
            if (req.podNamespace() != null && req.podName() != null) {
                publish(req, published, stderr);
            }
            return Json.write(result);
        } catch (CniException | IOException | RuntimeException e) {
            try {
                undo(req, record);
                store.delete(stateFile);
            } catch (CniException cleanup) {
                // the state file stays: the runtime's DEL retries what could not be undone
            }
            if (e instanceof CniException c) {
                throw c;
            }
            throw new CniException(CniException.IO_FAILURE, "ADD failed: " + e.getMessage());
        }
    }

    /** OVS serves a dpdkvhostuser socket in its run directory: make it visible in the container's shared directory. */
    private static void linkServerSocket(Path ovsSocket, Path socket) throws IOException {
        Files.deleteIfExists(socket);
        try {
            Files.createLink(socket, ovsSocket);
        } catch (IOException | UnsupportedOperationException e) {
            Files.createSymbolicLink(socket, ovsSocket);
        }
    }

    /**
     * The ADD result in the request's version: runtimes refuse a result of another version than the one they asked
     * for (libcni before 1.2 stops at 1.0.0). 0.3.x and 0.4.0 give each IP its family as "version"; 1.x has none;
     * only 1.1.0 knows socketPath.
     */
    static Map<String, Object> result(CniRequest req, Path socket, String mac, Map<String, Object> ipam) {
        boolean v1 = req.cniVersion().startsWith("1.");
        Map<String, Object> iface = new LinkedHashMap<>();
        iface.put("name", req.ifname());
        iface.put("mac", mac);
        iface.put("sandbox", req.netns());
        if (req.cniVersion().equals("1.1.0")) {
            iface.put("socketPath", socket.toString());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("cniVersion", req.cniVersion());
        result.put("interfaces", List.of(iface));
        List<Object> ips = new ArrayList<>();
        if (ipam.get("ips") instanceof List<?> list) {
            for (Object ip : list) {
                if (ip instanceof Map<?, ?> m) {
                    Map<String, Object> copy = new LinkedHashMap<>();
                    m.forEach((k, v) -> copy.put(String.valueOf(k), v));
                    copy.put("interface", 0);
                    if (v1) {
                        copy.remove("version");
                    } else if (!(copy.get("version") instanceof String)) {
                        copy.put("version", String.valueOf(copy.get("address")).contains(":") ? "6" : "4");
                    }
                    ips.add(copy);
                }
            }
        }
        result.put("ips", ips);
        if (ipam.get("routes") != null) {
            result.put("routes", ipam.get("routes"));
        }
        result.put("dns", ipam.get("dns") == null ? Map.of() : ipam.get("dns"));
        return result;
    }

    /** The userspace CNI's configuration-data: what the container's DPDK application needs to attach. */
    static Map<String, Object> configurationData(CniRequest req, Path socket, String mac, Map<String, Object> ipam) {
        Map<String, Object> vhost = new LinkedHashMap<>();
        vhost.put("mode", req.ovsClientMode() ? "server" : "client");
        vhost.put("socketfile", socket.getFileName().toString());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("engine", "dpdk");
        config.put("iftype", "vhostuser");
        config.put("netType", "interface");
        config.put("vhost", vhost);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("containerId", req.containerId());
        data.put("ifName", req.ifname());
        data.put("name", req.network());
        data.put("sharedDir", socket.getParent().toString());
        data.put("socketPath", socket.toString());
        // the address the container's virtio device should take, the one the ADD result and OVS name
        data.put("mac", mac);
        data.put("config", config);
        data.put("ipResult", ipam);
        return data;
    }

    /** Best effort: the attachment works without the annotation (the same data is in the shared directory). */
    private void publish(CniRequest req, Map<String, Object> data, StringBuilder stderr) {
        try {
            if (!publisher.publish(req.podNamespace(), req.podName(), req.network(), req.ifname(), data)) {
                stderr.append("nfvlab-cni: pod ").append(req.podNamespace()).append('/').append(req.podName())
                        .append(" not found: configuration-data not published\n");
            }
        } catch (RuntimeException e) {
            stderr.append("nfvlab-cni: ").append(e.getMessage()).append('\n');
        }
    }

    private void withdraw(String namespace, String pod, CniRequest req, StringBuilder stderr) {
        try {
            publisher.withdraw(namespace, pod, req.network(), req.ifname());
        } catch (RuntimeException e) {
            stderr.append("nfvlab-cni: configuration-data of pod ").append(namespace).append('/').append(pod)
                    .append(" not withdrawn: ").append(e.getMessage()).append('\n');
        }
    }

    private void del(CniRequest req, StringBuilder stderr) throws CniException {
        AttachmentStore store = new AttachmentStore(req.stateDir());
        Path stateFile = store.file(req.network(), req.containerId(), req.ifname());
        Map<String, Object> record = store.read(stateFile);
        if (record == null) {
            // nothing recorded: remove what the derived names point at, so DEL still leaves nothing behind
            record = new LinkedHashMap<>();
            record.put("port", AttachmentNames.port(req.containerId(), req.ifname()));
            record.put("sharedDir", Path.of(req.sharedRoot(), AttachmentNames.containerDir(req.containerId())).toString());
            record.put("ipamType", req.ipam() == null ? null : req.ipam().get("type"));
        }
        undo(req, record);
        if (record.get("podNamespace") instanceof String ns && record.get("podName") instanceof String pod) {
            withdraw(ns, pod, req, stderr);
        }
        store.delete(stateFile);
    }

    /** Removes the port, the IPAM reservation and the files of a record; each step is idempotent. */
    private void undo(CniRequest req, Map<String, Object> record) throws CniException {
        Object port = record.get("port");
        if (port instanceof String p && p.startsWith(AttachmentNames.PORT_PREFIX) && p.length() <= 15) {
            ovs.deletePort(p);
        }
        if (req.ipam() != null) {
            Ipam.del(req, roots.ipam());
        }
        Path shared = record.get("sharedDir") instanceof String d && d.startsWith(req.sharedRoot() + "/") ? Path.of(d) : null;
        if (shared == null || !linkFree(shared)) {
            return; // files are left rather than removed through a link a pod put on the way
        }
        for (String key : List.of("socket", "configFile")) {
            if (record.get(key) instanceof String f && shared.equals(Path.of(f).getParent())) {
                try {
                    Files.deleteIfExists(Path.of(f));
                } catch (IOException e) {
                    throw new CniException(CniException.IO_FAILURE, "cannot remove " + f + ": " + e.getMessage());
                }
            }
        }
        removeIfEmpty(shared);
    }

    private boolean linkFree(Path sharedDir) {
        try {
            CniRoots.checkNoLinks("sharedDir", sharedDir, roots.shared());
            return true;
        } catch (CniException e) {
            return false;
        }
    }

    private static void removeIfEmpty(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> rest = Files.newDirectoryStream(dir)) {
            if (!rest.iterator().hasNext()) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            // another interface of the container still uses it
        }
    }

    private void check(CniRequest req) throws CniException {
        AttachmentStore store = new AttachmentStore(req.stateDir());
        Map<String, Object> record = store.read(store.file(req.network(), req.containerId(), req.ifname()));
        if (record == null) {
            throw new CniException(CniException.ATTACHMENT_BROKEN, "no attachment of " + req.ifname() + " to network "
                    + req.network() + " is recorded for this container");
        }
        String port = String.valueOf(record.get("port"));
        String error = ovs.portError(port);
        if (error == null) {
            throw new CniException(CniException.ATTACHMENT_BROKEN, "OVS port " + port + " is missing");
        }
        if (!error.isEmpty()) {
            throw new CniException(CniException.ATTACHMENT_BROKEN, "OVS port " + port + " has an error: " + error);
        }
        if ("server".equals(record.get("ovsMode")) && !Files.exists(Path.of(String.valueOf(record.get("socket"))))) {
            throw new CniException(CniException.ATTACHMENT_BROKEN, "socket " + record.get("socket") + " is missing");
        }
        if (req.ipam() != null) {
            Ipam.check(req, roots.ipam());
        }
    }

    private void status(CniRequest req) throws CniException {
        try {
            if (!ovs.bridgeExists(req.bridge())) {
                throw new CniException(CniException.PLUGIN_NOT_AVAILABLE, "OVS bridge " + req.bridge() + " does not exist");
            }
        } catch (CniException e) {
            throw e.code() == CniException.PLUGIN_NOT_AVAILABLE ? e
                    : new CniException(CniException.PLUGIN_NOT_AVAILABLE, e.getMessage());
        }
    }

    /** GC: undo every recorded attachment of this network that is not in cni.dev/valid-attachments. */
    private void gc(CniRequest req, StringBuilder stderr) throws CniException {
        Set<String> valid = new HashSet<>();
        if (req.config().get("cni.dev/valid-attachments") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    valid.add(m.get("containerID") + "\u0000" + m.get("ifname"));
                }
            }
        } else if (req.config().containsKey("cni.dev/valid-attachments")) {
            throw new CniException(CniException.DECODE_FAILURE, "cni.dev/valid-attachments must be a list");
        }
        AttachmentStore store = new AttachmentStore(req.stateDir());
        CniException first = null;
        for (Path file : store.all()) {
            Map<String, Object> record = store.read(file);
            if (record == null || !req.network().equals(record.get("network"))) {
                continue;
            }
            String cid = String.valueOf(record.get("containerId"));
            String ifname = String.valueOf(record.get("ifname"));
            if (valid.contains(cid + "\u0000" + ifname)) {
                continue;
            }
            CniRequest stale = new CniRequest("DEL", cid, String.valueOf(record.get("netns")), ifname, req.cniPath(),
                    req.cniVersion(), req.network(), req.config(), req.bridge(), req.ovsClientMode(), req.sharedRoot(),
                    req.stateDir(), req.ipam(), null, null, req.execPath());
            try (var held = locks.lock(cid)) {
                // read again under the lock: an ADD or DEL of this container may have changed it meanwhile
                Map<String, Object> current = store.read(file);
                if (current == null || !req.network().equals(current.get("network"))) {
                    continue;
                }
                undo(stale, current);
                if (current.get("podNamespace") instanceof String ns && current.get("podName") instanceof String pod) {
                    withdraw(ns, pod, stale, stderr);
                }
                store.delete(file);
            } catch (CniException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
