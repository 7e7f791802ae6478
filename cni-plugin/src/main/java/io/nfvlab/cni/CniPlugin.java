package io.nfvlab.cni;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 */
public final class CniPlugin {
    /** What to print and how to exit. */
    public record Outcome(int exitCode, String stdout) {
    }

    private static final Pattern SIMPLE = Pattern.compile("^[A-Za-z0-9_.-]+$");
    private static final String OVS_RUN_DIR = "/var/run/openvswitch";

    private CniPlugin() {
    }

    public static Outcome execute(Map<String, String> env, String stdin) {
        String version = "1.1.0";
        try {
            CniRequest req = CniRequest.parse(env, stdin);
            version = req.cniVersion();
            return switch (req.command()) {
                case "VERSION" -> new Outcome(0, Json.write(Map.of("cniVersion", version,
                        "supportedVersions", CniRequest.SUPPORTED_VERSIONS)));
                case "ADD" -> new Outcome(0, add(req));
                case "DEL" -> {
                    del(req);
                    yield new Outcome(0, "");
                }
                case "CHECK" -> {
                    check(req);
                    yield new Outcome(0, "");
                }
                case "STATUS" -> {
                    status(req);
                    yield new Outcome(0, "");
                }
                case "GC" -> {
                    gc(req);
                    yield new Outcome(0, "");
                }
                default -> throw new CniException(CniException.INVALID_ENVIRONMENT, "unknown command");
            };
        } catch (CniException e) {
            return new Outcome(1, e.toJson(version));
        } catch (RuntimeException e) {
            return new Outcome(1, new CniException(CniException.IO_FAILURE, "internal error: " + e).toJson(version));
        }
    }

    /** Socket file name in the shared directory: the userspace CNI's {@code <id[:12]>-<ifname>} where that is safe. */
    static String socketName(String containerId, String ifname, String port) {
        String name = containerId.substring(0, Math.min(12, containerId.length())) + "-" + ifname;
        return SIMPLE.matcher(ifname).matches() ? name : port;
    }

    private static String add(CniRequest req) throws CniException {
        Trace.mark("parse");
        // no separate bridge check: add-port fails on a missing bridge, and every process costs milliseconds
        if (req.ipam() != null) {
            Ipam.find((String) req.ipam().get("type"), req.cniPath());
        }
        AttachmentStore store = new AttachmentStore(req.stateDir());
        Path stateFile = store.file(req.network(), req.containerId(), req.ifname());
        String port = Names.port(req.containerId(), req.ifname());
        Path sharedDir = Path.of(req.sharedRoot(), Names.containerDir(req.containerId()));
        Path socket = sharedDir.resolve(socketName(req.containerId(), req.ifname(), port));
        Path configFile = sharedDir.resolve(socket.getFileName() + ".json");

        Map<String, Object> record = new LinkedHashMap<>();
        record.put("network", req.network());
        record.put("containerId", req.containerId());
        record.put("ifname", req.ifname());
        record.put("netns", req.netns());
        record.put("bridge", req.bridge());
        record.put("port", port);
        record.put("ovsMode", req.ovsClientMode() ? "client" : "server");
        record.put("sharedDir", sharedDir.toString());
        record.put("socket", socket.toString());
        record.put("configFile", configFile.toString());
        record.put("ipamType", req.ipam() == null ? null : req.ipam().get("type"));
        if (req.podNamespace() != null && req.podName() != null) {
            record.put("podNamespace", req.podNamespace());
            record.put("podName", req.podName());
        }
        // intent first, and only once (an fsync costs milliseconds): DEL needs nothing that is learnt later: if anything below fails or we are killed, DEL finds what to undo
        Trace.mark("names");
        store.write(stateFile, record);
        Trace.mark("state");
        try {
            Map<String, Object> ipamResult = req.ipam() == null ? Map.of() : Ipam.add(req);
            Trace.mark("ipam");
            Files.createDirectories(sharedDir);
            OvsPorts.addPort(req.bridge(), port, req.ovsClientMode(), socket.toString(), req.containerId());
            Trace.mark("ovs");
            if (!req.ovsClientMode()) {
                linkServerSocket(Path.of(OVS_RUN_DIR, port), socket);
            }
            Map<String, Object> result = result(req, socket, ipamResult);
            Map<String, Object> published = configurationData(req, socket, ipamResult);
            Files.writeString(configFile, Json.write(published));
            if (req.podNamespace() != null && req.podName() != null) {
                AgentClient.publish(req.agentSocket(), req.podNamespace(), req.podName(), req.network(), req.ifname(), published);
            }
            Trace.mark("publish");
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

    private static Map<String, Object> result(CniRequest req, Path socket, Map<String, Object> ipam) {
        Map<String, Object> iface = new LinkedHashMap<>();
        iface.put("name", req.ifname());
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
    static Map<String, Object> configurationData(CniRequest req, Path socket, Map<String, Object> ipam) {
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
        data.put("config", config);
        data.put("ipResult", ipam);
        return data;
    }

    private static void del(CniRequest req) throws CniException {
        AttachmentStore store = new AttachmentStore(req.stateDir());
        Path stateFile = store.file(req.network(), req.containerId(), req.ifname());
        Map<String, Object> record = store.read(stateFile);
        if (record == null) {
            // nothing recorded: remove what the derived names point at, so DEL still leaves nothing behind
            record = new LinkedHashMap<>();
            record.put("port", Names.port(req.containerId(), req.ifname()));
            record.put("sharedDir", Path.of(req.sharedRoot(), Names.containerDir(req.containerId())).toString());
            record.put("ipamType", req.ipam() == null ? null : req.ipam().get("type"));
        }
        undo(req, record);
        if (record.get("podNamespace") instanceof String ns && record.get("podName") instanceof String pod) {
            AgentClient.withdraw(req.agentSocket(), ns, pod, req.network(), req.ifname());
        }
        store.delete(stateFile);
    }

    /** Removes the port, the IPAM reservation and the files of a record; each step is idempotent. */
    private static void undo(CniRequest req, Map<String, Object> record) throws CniException {
        Object port = record.get("port");
        if (port instanceof String p && p.startsWith(Names.PORT_PREFIX) && p.length() <= 15) {
            OvsPorts.deletePort(p);
        }
        if (req.ipam() != null) {
            Ipam.del(req);
        }
        for (String key : List.of("socket", "configFile")) {
            if (record.get(key) instanceof String f && f.startsWith(req.sharedRoot() + "/")) {
                try {
                    Files.deleteIfExists(Path.of(f));
                } catch (IOException e) {
                    throw new CniException(CniException.IO_FAILURE, "cannot remove " + f + ": " + e.getMessage());
                }
            }
        }
        if (record.get("sharedDir") instanceof String d && d.startsWith(req.sharedRoot() + "/")) {
            removeIfEmpty(Path.of(d));
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

    private static void check(CniRequest req) throws CniException {
        AttachmentStore store = new AttachmentStore(req.stateDir());
        Map<String, Object> record = store.read(store.file(req.network(), req.containerId(), req.ifname()));
        if (record == null) {
            throw new CniException(CniException.ATTACHMENT_BROKEN, "no attachment of " + req.ifname() + " to network "
                    + req.network() + " is recorded for this container");
        }
        String port = String.valueOf(record.get("port"));
        String error = OvsPorts.portError(port);
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
            Ipam.check(req);
        }
    }

    private static void status(CniRequest req) throws CniException {
        try {
            if (!OvsPorts.bridgeExists(req.bridge())) {
                throw new CniException(CniException.PLUGIN_NOT_AVAILABLE, "OVS bridge " + req.bridge() + " does not exist");
            }
        } catch (CniException e) {
            throw e.code() == CniException.PLUGIN_NOT_AVAILABLE ? e
                    : new CniException(CniException.PLUGIN_NOT_AVAILABLE, e.getMessage());
        }
    }

    /** GC: undo every recorded attachment of this network that is not in cni.dev/valid-attachments. */
    private static void gc(CniRequest req) throws CniException {
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
                    req.stateDir(), req.ipam(), null, null, req.agentSocket());
            try {
                undo(stale, record);
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
