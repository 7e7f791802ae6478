package io.nfvlab.agent.ovsdpdk;

import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.bridge.DpdkBridgeSpec;
import io.nfvlab.api.bridge.FlowSpec;
import io.nfvlab.api.bridge.NodeBridgeStatus;
import io.nfvlab.api.bridge.VhostUserPort;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.PlannedDpdkBridge;
import io.nfvlab.api.validation.DpdkBridgeValidator;
import io.nfvlab.api.validation.Violations;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@link DpdkBridges} on the node's ovs-vswitchd (DPDK build): observe the bridges and interfaces carrying this
 * owner's token in {@code external_ids}, issue the missing or differing parts as ONE ovs-vsctl transaction, set flows
 * with one {@code ovs-ofctl replace-flows} bundle where they differ, and read back link state and statistics.
 * Nothing without the owner's mark is ever changed; a name taken by someone else is reported, not reused.
 */
public final class OvsDpdkBridges implements DpdkBridges {
    /** On bridges: the DpdkBridge object's name; marks a bridge as made by this class. */
    public static final String BRIDGE_KEY = io.nfvlab.agent.kernel.Marks.OVS_DPDK_BRIDGE_KEY;
    /** On bridges: the socket directory, so teardown finds it even after the spec changed. */
    public static final String SOCKET_DIR_KEY = "nfvlab-socket-dir";
    /**
     * On bridges: the Kubernetes node the bridge was built for, so a sweep touches only its own node's bridges; the
     * same key as the topology side's marks, so that the agent's topology planner sees the bridges ovs-dpdk switches
     * live on.
     */
    public static final String NODE_KEY = io.nfvlab.agent.kernel.Marks.OVS_NODE_KEY;
    /** On interfaces: the OVS bridge the port belongs to. */
    public static final String PORT_BRIDGE_KEY = "nfvlab-bridge";
    private static final Pattern TOKEN = Pattern.compile("^[0-9a-z]{1,16}$");
    public static final int DEFAULT_HUGEPAGES = 576;

    private final Path meminfo;
    private final Duration dpdkInitWait;
    private volatile int lastActions;

    public OvsDpdkBridges() {
        this(Hugepages.MEMINFO, Duration.ofSeconds(30));
    }

    public OvsDpdkBridges(Path meminfo, Duration dpdkInitWait) {
        this.meminfo = meminfo;
        this.dpdkInitWait = dpdkInitWait;
    }

    /** OVS commands (transaction commands and flow replacements) the last {@link #sync} issued; 0 when OVS matched. */
    public int lastActions() {
        return lastActions;
    }

    @Override
    public List<NodeBridgeStatus> sync(NetworkNodeState state) {
        String node = state.getSpec().getNodeName();
        List<PlannedDpdkBridge> planned = state.getSpec().dpdkBridgesOrEmpty();
        String token = token(state);
        int actions = 0;
        if (token == null) {
            lastActions = 0;
            return planned.stream().map(b -> failed(node, b, "spec.owner.token is missing or not a short lowercase token")).toList();
        }
        Observation obs = Observation.read();
        Map<String, String> problems = new LinkedHashMap<>();
        String dpdkNote = null;
        if (!planned.isEmpty()) {
            if (!obs.ifaceTypes().contains("dpdkvhostuserclient")) {
                String msg = "ovs-vswitchd is not the DPDK build (no dpdkvhostuser interface type): install "
                        + "openvswitch-switch-dpdk and select /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk";
                lastActions = 0;
                return planned.stream().map(b -> failed(node, b, msg)).toList();
            }
            Hugepages pages = Hugepages.read(meminfo);
            for (PlannedDpdkBridge b : planned) {
                String invalid = Violations.oneLine(DpdkBridgeValidator.validate(b.getSpec()));
                long required = b.getSpec().getDpdk() == null || b.getSpec().getDpdk().getHugepages() == null
                        ? DEFAULT_HUGEPAGES : b.getSpec().getDpdk().getHugepages();
                long freeRequired = obs.dpdkInitialized() ? 0 : DpdkInit.socketMemPages(b.getSpec().getDpdk());
                Optional<String> shortfall = pages.shortfall(required, freeRequired);
                if (!invalid.isEmpty()) {
                    problems.put(b.getName(), "invalid spec: " + invalid);
                } else if (shortfall.isPresent()) {
                    problems.put(b.getName(), shortfall.get());
                }
            }
            boolean anyUsable = planned.stream().anyMatch(b -> !problems.containsKey(b.getName()));
            if (!obs.dpdkInitialized() && anyUsable) {
                PlannedDpdkBridge first = planned.stream().filter(b -> !problems.containsKey(b.getName())).findFirst().orElseThrow();
                actions++;
                Optional<String> failure = enableDpdk(first);
                if (failure.isPresent()) {
                    planned.forEach(b -> problems.putIfAbsent(b.getName(), failure.get()));
                }
                obs = Observation.read();
            } else if (obs.dpdkInitialized()) {
                Map<String, Object> running = obs.otherConfig();
                dpdkNote = planned.stream().map(b -> DpdkInit.drift(b.getSpec().getDpdk(), running))
                        .flatMap(Optional::stream).findFirst().orElse(null);
            }
        }

        List<List<String>> commands = new ArrayList<>();
        Set<String> keepBridges = new LinkedHashSet<>();
        for (PlannedDpdkBridge b : planned) {
            String bridge = b.getSpec().getBridgeName();
            Map<String, Object> existing = obs.bridges().get(bridge);
            if (existing != null && !token.equals(OvsTable.map(existing, "external_ids").get(Nfvlab.OVS_OWNER_KEY))) {
                problems.putIfAbsent(b.getName(), "OVS bridge " + bridge + " exists and is not owned by this DpdkBridge");
            }
            if (problems.containsKey(b.getName())) {
                if (existing != null && token.equals(OvsTable.map(existing, "external_ids").get(Nfvlab.OVS_OWNER_KEY))) {
                    keepBridges.add(bridge);
                }
                continue;
            }
            keepBridges.add(bridge);
            commands.addAll(bridgeCommands(b, token, node, existing));
            commands.addAll(portCommands(b, token, obs, problems));
        }
        for (Map.Entry<String, Map<String, Object>> e : obs.bridges().entrySet()) {
            Map<String, Object> ids = OvsTable.map(e.getValue(), "external_ids");
            if (token.equals(ids.get(Nfvlab.OVS_OWNER_KEY)) && ids.containsKey(BRIDGE_KEY) && !keepBridges.contains(e.getKey())) {
                commands.add(List.of("--if-exists", "del-br", e.getKey()));
            }
        }
        List<String> transactionErrors = new ArrayList<>();
        if (!commands.isEmpty()) {
            actions += commands.size();
            var result = Ovs.vsctl(false, commands);
            obs = Observation.read();
            // ovs-vsctl also fails when a busy ovs-vswitchd does not apply a committed transaction within --timeout:
            // what counts is whether the database now holds the plan
            if (!result.ok() && !pending(planned, problems, token, node, obs).isEmpty()) {
                transactionErrors.add(result.describe());
            }
        }
        for (PlannedDpdkBridge b : planned) {
            String bridge = b.getSpec().getBridgeName();
            if (problems.containsKey(b.getName()) || !obs.bridges().containsKey(bridge)) {
                continue;
            }
            try {
                List<String> want = desiredFlows(b.getSpec());
                if (!want.equals(Ovs.dumpFlows(bridge))) {
                    actions++;
                    Ovs.replaceFlows(bridge, want);
                }
            } catch (RuntimeException e) {
                problems.put(b.getName(), "flows: " + e.getMessage());
            }
        }
        lastActions = actions;
        List<NodeBridgeStatus> statuses = new ArrayList<>();
        for (PlannedDpdkBridge b : planned) {
            String problem = problems.get(b.getName());
            if (problem == null && !transactionErrors.isEmpty()) {
                problem = transactionErrors.get(0);
            }
            statuses.add(status(node, b, token, obs, problem, dpdkNote));
        }
        return statuses;
    }

    /** The commands still needed to bring OVS to the plan (bridges and ports only; none for bridges with a problem). */
    private static List<List<String>> pending(List<PlannedDpdkBridge> planned, Map<String, String> problems, String token,
                                              String node, Observation obs) {
        List<List<String>> commands = new ArrayList<>();
        for (PlannedDpdkBridge b : planned) {
            if (!problems.containsKey(b.getName())) {
                commands.addAll(bridgeCommands(b, token, node, obs.bridges().get(b.getSpec().getBridgeName())));
                commands.addAll(portCommands(b, token, obs, new LinkedHashMap<>()));
            }
        }
        return commands;
    }

    @Override
    public void teardown(NetworkNodeState state) {
        String token = token(state);
        if (token == null) {
            return;
        }
        Observation obs = Observation.read();
        List<List<String>> commands = new ArrayList<>();
        Set<Path> dirs = new TreeSet<>();
        for (Map.Entry<String, Map<String, Object>> e : obs.bridges().entrySet()) {
            Map<String, Object> ids = OvsTable.map(e.getValue(), "external_ids");
            if (token.equals(ids.get(Nfvlab.OVS_OWNER_KEY)) && ids.containsKey(BRIDGE_KEY)) {
                commands.add(List.of("--if-exists", "del-br", e.getKey()));
                Object dir = ids.get(SOCKET_DIR_KEY);
                if (dir != null) {
                    dirs.add(Path.of(dir.toString()));
                }
            }
        }
        for (Map.Entry<String, Map<String, Object>> e : obs.interfaces().entrySet()) {
            Map<String, Object> ids = OvsTable.map(e.getValue(), "external_ids");
            if (token.equals(ids.get(Nfvlab.OVS_OWNER_KEY)) && ids.containsKey(PORT_BRIDGE_KEY)
                    && commands.stream().noneMatch(c -> c.contains(ids.get(PORT_BRIDGE_KEY)))) {
                commands.add(List.of("--if-exists", "del-port", e.getKey()));
            }
        }
        for (PlannedDpdkBridge b : state.getSpec().dpdkBridgesOrEmpty()) {
            dirs.add(VhostSockets.socketDir(b));
        }
        if (!commands.isEmpty()) {
            Ovs.vsctl(false, commands).orThrow();
        }
        dirs.forEach(OvsDpdkBridges::removeSocketDir);
    }

    @Override
    public Set<String> sweepOrphans(String nodeName, Set<String> liveTokens) {
        Observation obs = Observation.read();
        List<List<String>> commands = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        Set<String> swept = new TreeSet<>();
        obs.bridges().forEach((name, row) -> {
            Map<String, Object> ids = OvsTable.map(row, "external_ids");
            Object owner = ids.get(Nfvlab.OVS_OWNER_KEY);
            if (owner != null && ids.containsKey(BRIDGE_KEY) && nodeName.equals(ids.get(NODE_KEY))
                    && !liveTokens.contains(owner.toString())) {
                commands.add(List.of("--if-exists", "del-br", name));
                swept.add(owner.toString());
                Object dir = ids.get(SOCKET_DIR_KEY);
                if (dir != null) {
                    dirs.add(Path.of(dir.toString()));
                }
            }
        });
        if (!commands.isEmpty()) {
            Ovs.vsctl(false, commands).orThrow();
        }
        dirs.forEach(OvsDpdkBridges::removeSocketDir);
        return swept;
    }

    private Optional<String> enableDpdk(PlannedDpdkBridge bridge) {
        var result = Ovs.vsctl(false, List.of(DpdkInit.enableCommand(bridge.getSpec().getDpdk())));
        if (!result.ok()) {
            return Optional.of("enabling DPDK: " + result.describe());
        }
        long deadline = System.nanoTime() + dpdkInitWait.toNanos();
        while (System.nanoTime() < deadline) {
            if (Observation.read().dpdkInitialized()) {
                return Optional.empty();
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Optional.of("ovs-vswitchd did not initialize DPDK within " + dpdkInitWait.toSeconds()
                + " s of dpdk-init=true (see /var/log/openvswitch/ovs-vswitchd.log)");
    }

    private static List<List<String>> bridgeCommands(PlannedDpdkBridge b, String token, String node, Map<String, Object> existing) {
        String bridge = b.getSpec().getBridgeName();
        Map<String, String> ids = new LinkedHashMap<>(Map.of(Nfvlab.OVS_OWNER_KEY, token, BRIDGE_KEY, b.getName(),
                SOCKET_DIR_KEY, VhostSockets.socketDir(b).toString()));
        if (node != null) {
            ids.put(NODE_KEY, node);
        }
        boolean matches = existing != null && "netdev".equals(OvsTable.string(existing, "datapath_type"))
                && containsAll(OvsTable.map(existing, "external_ids"), ids);
        if (matches) {
            return List.of();
        }
        List<String> set = new ArrayList<>(List.of("set", "Bridge", bridge, "datapath_type=netdev"));
        ids.forEach((k, v) -> set.add("external_ids:" + k + "=" + Ovs.quoted(v)));
        return existing == null ? List.of(List.of("--may-exist", "add-br", bridge), set) : List.of(set);
    }

    private static List<List<String>> portCommands(PlannedDpdkBridge b, String token, Observation obs,
                                                   Map<String, String> problems) {
        String bridge = b.getSpec().getBridgeName();
        List<List<String>> commands = new ArrayList<>();
        Set<String> wanted = new LinkedHashSet<>();
        List<VhostUserPort> ports = b.getSpec().getPorts() == null ? List.of() : b.getSpec().getPorts();
        // even without client ports of its own: the vhostUser hosts of ovs-dpdk switches have their sockets served here
        try {
            Files.createDirectories(VhostSockets.socketDir(b));
        } catch (IOException e) {
            problems.put(b.getName(), "cannot create socket directory " + VhostSockets.socketDir(b) + ": " + e.getMessage());
            return List.of();
        }
        for (VhostUserPort port : ports) {
            String name = port.getName();
            wanted.add(name);
            Map<String, Object> existing = obs.interfaces().get(name);
            Map<String, Object> existingIds = existing == null ? Map.of() : OvsTable.map(existing, "external_ids");
            if (existing != null && !token.equals(existingIds.get(Nfvlab.OVS_OWNER_KEY))) {
                // reported in the port's status; the rest of the bridge still gets built
                continue;
            }
            String type = VhostSockets.isClientType(port) ? "dpdkvhostuserclient" : "dpdkvhostuser";
            Map<String, String> options = new LinkedHashMap<>();
            if (VhostSockets.isClientType(port)) {
                options.put("vhost-server-path", VhostSockets.socketPath(b, port).toString());
            }
            if (port.getQueues() != null) {
                options.put("n_rxq", String.valueOf(port.getQueues()));
            }
            Map<String, String> ids = Map.of(Nfvlab.OVS_OWNER_KEY, token, PORT_BRIDGE_KEY, bridge);
            boolean sameBridge = bridge.equals(existingIds.get(PORT_BRIDGE_KEY));
            if (existing != null && sameBridge && type.equals(OvsTable.string(existing, "type"))
                    && stringMap(OvsTable.map(existing, "options")).equals(options)
                    && Objects.equals(OvsTable.number(existing, "mtu_request"), port.getMtu() == null ? null : port.getMtu().longValue())
                    && containsAll(existingIds, ids)) {
                continue;
            }
            if (existing != null && !sameBridge) {
                commands.add(List.of("--if-exists", "del-port", name));
            }
            if (existing == null || !sameBridge) {
                commands.add(List.of("--may-exist", "add-port", bridge, name));
            } else {
                commands.add(List.of("clear", "Interface", name, "options"));
                if (port.getMtu() == null) {
                    commands.add(List.of("clear", "Interface", name, "mtu_request"));
                }
            }
            List<String> set = new ArrayList<>(List.of("set", "Interface", name, "type=" + type));
            options.forEach((k, v) -> set.add("options:" + k + "=" + Ovs.quoted(v)));
            if (port.getMtu() != null) {
                set.add("mtu_request=" + port.getMtu());
            }
            ids.forEach((k, v) -> set.add("external_ids:" + k + "=" + Ovs.quoted(v)));
            commands.add(set);
        }
        obs.interfaces().forEach((name, row) -> {
            Map<String, Object> ids = OvsTable.map(row, "external_ids");
            if (token.equals(ids.get(Nfvlab.OVS_OWNER_KEY)) && bridge.equals(ids.get(PORT_BRIDGE_KEY)) && !wanted.contains(name)) {
                commands.add(List.of("--if-exists", "del-port", bridge, name));
            }
        });
        return commands;
    }

    /** The flow table as {@code ovs-ofctl --names --no-stats dump-flows} prints it, sorted. */
    static List<String> desiredFlows(DpdkBridgeSpec spec) {
        FlowSpec flows = spec.getFlows();
        if (flows == null || flows.getMode() == null || flows.getMode() == FlowSpec.Mode.NORMAL) {
            return List.of("priority=0 actions=NORMAL");
        }
        List<String> rules = new ArrayList<>();
        for (FlowSpec.PortPair pair : flows.getPairs()) {
            rules.add("in_port=" + pair.getA() + " actions=output:" + pair.getB());
            rules.add("in_port=" + pair.getB() + " actions=output:" + pair.getA());
        }
        return rules.stream().sorted().toList();
    }

    private static NodeBridgeStatus status(String node, PlannedDpdkBridge b, String token, Observation obs,
                                           String problem, String note) {
        String bridge = b.getSpec().getBridgeName();
        Map<String, Object> row = obs.bridges().get(bridge);
        boolean ours = row != null && token.equals(OvsTable.map(row, "external_ids").get(Nfvlab.OVS_OWNER_KEY));
        List<NodeBridgeStatus.PortStatus> ports = new ArrayList<>();
        boolean portsOk = true;
        for (VhostUserPort port : b.getSpec().getPorts() == null ? List.<VhostUserPort>of() : b.getSpec().getPorts()) {
            Map<String, Object> iface = obs.interfaces().get(port.getName());
            var ps = NodeBridgeStatus.PortStatus.builder().name(port.getName())
                    .socketPath(VhostSockets.socketPath(b, port).toString());
            if (iface == null) {
                ps.state("error").error("port not created");
                portsOk = false;
            } else if (!token.equals(OvsTable.map(iface, "external_ids").get(Nfvlab.OVS_OWNER_KEY))) {
                ps.state("error").error("an OVS port named " + port.getName() + " exists and is not owned by this DpdkBridge");
                portsOk = false;
            } else {
                String error = OvsTable.string(iface, "error");
                Map<String, Object> stats = OvsTable.map(iface, "statistics");
                ps.state(error != null && !error.isEmpty() ? "error" : Objects.requireNonNullElse(OvsTable.string(iface, "link_state"), "down"))
                        .error(error == null || error.isEmpty() ? null : error)
                        .rxPackets(count(stats, "rx_packets")).txPackets(count(stats, "tx_packets"))
                        .rxDropped(count(stats, "rx_dropped")).txDropped(count(stats, "tx_dropped"));
                portsOk &= error == null || error.isEmpty();
            }
            ports.add(ps.build());
        }
        boolean up = problem == null && ours && portsOk;
        String message = problem != null ? problem : !ours ? "bridge not created" : !portsOk
                ? "some ports could not be created" : note;
        return NodeBridgeStatus.builder().node(node).bridgeName(bridge).bridgeUp(up).message(message).ports(ports).build();
    }

    private static NodeBridgeStatus failed(String node, PlannedDpdkBridge b, String message) {
        return NodeBridgeStatus.builder().node(node).bridgeName(b.getSpec() == null ? null : b.getSpec().getBridgeName())
                .bridgeUp(false).message(message).ports(List.of()).build();
    }

    private static Long count(Map<String, Object> stats, String key) {
        Object v = stats.get(key);
        return v instanceof Number n ? n.longValue() : 0L;
    }

    private static boolean containsAll(Map<String, Object> actual, Map<String, String> wanted) {
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(String.valueOf(actual.get(e.getKey()))));
    }

    private static Map<String, String> stringMap(Map<String, Object> map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    private static String token(NetworkNodeState state) {
        var owner = state.getSpec() == null ? null : state.getSpec().getOwner();
        String token = owner == null ? null : owner.getToken();
        return token != null && TOKEN.matcher(token).matches() ? token : null;
    }

    /** Deletes the sockets in a bridge's socket directory, then the directory itself when nothing else is in it. */
    static void removeSocketDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.sock")) {
            for (Path entry : entries) {
                Files.deleteIfExists(entry);
            }
            try (DirectoryStream<Path> rest = Files.newDirectoryStream(dir)) {
                if (!rest.iterator().hasNext()) {
                    Files.deleteIfExists(dir);
                }
            }
        } catch (IOException e) {
            // a socket still in use by a peer process: the next teardown or orphan sweep retries
        }
    }

    /** What OVS holds now: the Open_vSwitch row, every bridge and every interface, by name, in one ovs-vsctl call. */
    record Observation(boolean dpdkInitialized, Map<String, Object> otherConfig, Set<String> ifaceTypes,
                       Map<String, Map<String, Object>> bridges, Map<String, Map<String, Object>> interfaces) {
        static Observation read() {
            List<OvsTable> tables = Ovs.query(List.of(
                    List.of("--columns=dpdk_initialized,other_config,iface_types", "list", "Open_vSwitch"),
                    List.of("--columns=name,datapath_type,external_ids", "list", "Bridge"),
                    List.of("--columns=name,type,options,mtu_request,external_ids,link_state,statistics,error", "list", "Interface")));
            Map<String, Object> ovs = tables.get(0).rows().isEmpty() ? Map.of() : tables.get(0).rows().get(0);
            Set<String> types = new TreeSet<>();
            if (ovs.get("iface_types") instanceof List<?> l) {
                l.forEach(t -> types.add(t.toString()));
            }
            return new Observation(Boolean.TRUE.equals(ovs.get("dpdk_initialized")), OvsTable.map(ovs, "other_config"),
                    types, byName(tables.get(1)), byName(tables.get(2)));
        }

        private static Map<String, Map<String, Object>> byName(OvsTable table) {
            Map<String, Map<String, Object>> out = new LinkedHashMap<>();
            table.rows().forEach(r -> out.put(OvsTable.string(r, "name"), r));
            return out;
        }
    }
}
