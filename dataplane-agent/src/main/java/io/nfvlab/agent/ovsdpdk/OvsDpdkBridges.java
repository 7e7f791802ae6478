package io.nfvlab.agent.ovsdpdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nfvlab.agent.ovs.Ovsdb;
import io.nfvlab.agent.ovs.OvsdbClient;
import io.nfvlab.agent.ovs.OvsdbException;
import io.nfvlab.agent.ovs.OvsTransaction;
import io.nfvlab.agent.ovs.Row;
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
import java.io.UncheckedIOException;
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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@link DpdkBridges} on the node's ovs-vswitchd (DPDK build): observe the bridges and interfaces carrying this
 * owner's token in {@code external_ids}, issue the missing or differing parts as ONE OVSDB transaction, set flows
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
    /** How long ovs-vswitchd may take to apply a transaction (as ovs-vsctl --timeout=10 waited). */
    private static final Duration SWITCH_TIMEOUT = Duration.ofSeconds(10);

    /** One ovs-vsctl-sized step of a transaction: what {@link #lastActions} counts. */
    private interface Change extends Consumer<OvsTransaction> {
    }

    private final Path meminfo;
    private final Duration dpdkInitWait;
    private final OvsdbClient db;
    private volatile int lastActions;

    public OvsDpdkBridges() {
        this(Hugepages.MEMINFO, Duration.ofSeconds(30));
    }

    public OvsDpdkBridges(Path meminfo, Duration dpdkInitWait) {
        this(meminfo, dpdkInitWait, OvsdbClient.system());
    }

    public OvsDpdkBridges(Path meminfo, Duration dpdkInitWait, OvsdbClient db) {
        this.meminfo = meminfo;
        this.dpdkInitWait = dpdkInitWait;
        this.db = db;
    }

    /** OVS changes (transaction steps and flow replacements) the last {@link #sync} issued; 0 when OVS matched. */
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
        Observation obs = observe();
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
                obs = observe();
            } else if (obs.dpdkInitialized()) {
                Map<String, String> running = obs.otherConfig();
                dpdkNote = planned.stream().map(b -> DpdkInit.drift(b.getSpec().getDpdk(), running))
                        .flatMap(Optional::stream).findFirst().orElse(null);
            }
        }

        List<Change> commands = new ArrayList<>();
        Set<String> keepBridges = new LinkedHashSet<>();
        for (PlannedDpdkBridge b : planned) {
            String bridge = b.getSpec().getBridgeName();
            BridgeRow existing = obs.bridges().get(bridge);
            if (existing != null && !existing.ownedBy(token)) {
                problems.putIfAbsent(b.getName(), "OVS bridge " + bridge + " exists and is not owned by this DpdkBridge");
            }
            if (problems.containsKey(b.getName())) {
                if (existing != null && existing.ownedBy(token)) {
                    keepBridges.add(bridge);
                }
                continue;
            }
            keepBridges.add(bridge);
            commands.addAll(bridgeCommands(b, token, node, existing));
            commands.addAll(portCommands(b, token, obs, problems));
        }
        for (BridgeRow row : obs.bridges().values()) {
            if (row.ownedBy(token) && row.externalIds().containsKey(BRIDGE_KEY) && !keepBridges.contains(row.name())) {
                commands.add(t -> t.deleteBridge(row.uuid()));
            }
        }
        List<String> transactionErrors = new ArrayList<>();
        if (!commands.isEmpty()) {
            actions += commands.size();
            String failure = commit(commands);
            obs = observe();
            // the commit also fails when a busy ovs-vswitchd does not apply a committed transaction in time:
            // what counts is whether the database now holds the plan
            if (failure != null && !pending(planned, problems, token, node, obs).isEmpty()) {
                transactionErrors.add(failure);
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
    private static List<Change> pending(List<PlannedDpdkBridge> planned, Map<String, String> problems, String token,
                                        String node, Observation obs) {
        List<Change> commands = new ArrayList<>();
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
        Observation obs = observe();
        List<Change> commands = new ArrayList<>();
        Set<String> deletedBridges = new TreeSet<>();
        Set<Path> dirs = new TreeSet<>();
        for (BridgeRow row : obs.bridges().values()) {
            if (row.ownedBy(token) && row.externalIds().containsKey(BRIDGE_KEY)) {
                commands.add(t -> t.deleteBridge(row.uuid()));
                deletedBridges.add(row.name());
                String dir = row.externalIds().get(SOCKET_DIR_KEY);
                if (dir != null) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        for (InterfaceRow iface : obs.interfaces().values()) {
            String portUuid = obs.portUuids().get(iface.name());
            if (iface.ownedBy(token) && iface.externalIds().containsKey(PORT_BRIDGE_KEY)
                    && !deletedBridges.contains(iface.externalIds().get(PORT_BRIDGE_KEY)) && portUuid != null) {
                commands.add(t -> t.deletePort(portUuid));
            }
        }
        for (PlannedDpdkBridge b : state.getSpec().dpdkBridgesOrEmpty()) {
            dirs.add(VhostSockets.socketDir(b));
        }
        commitOrThrow(commands);
        dirs.forEach(OvsDpdkBridges::removeSocketDir);
    }

    @Override
    public Set<String> sweepOrphans(String nodeName, Set<String> liveTokens) {
        Observation obs = observe();
        List<Change> commands = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        Set<String> swept = new TreeSet<>();
        for (BridgeRow row : obs.bridges().values()) {
            Map<String, String> ids = row.externalIds();
            String owner = ids.get(Nfvlab.OVS_OWNER_KEY);
            if (owner != null && ids.containsKey(BRIDGE_KEY) && nodeName.equals(ids.get(NODE_KEY))
                    && !liveTokens.contains(owner)) {
                commands.add(t -> t.deleteBridge(row.uuid()));
                swept.add(owner);
                String dir = ids.get(SOCKET_DIR_KEY);
                if (dir != null) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        commitOrThrow(commands);
        dirs.forEach(OvsDpdkBridges::removeSocketDir);
        return swept;
    }

    private Optional<String> enableDpdk(PlannedDpdkBridge bridge) {
        // committed without waiting for ovs-vswitchd: DPDK's start is what the loop below waits for
        try {
            new OvsTransaction().setKeys("Open_vSwitch", null, "other_config", DpdkInit.otherConfig(bridge.getSpec().getDpdk()))
                    .commit(db, null);
        } catch (IOException | OvsdbException e) {
            return Optional.of("enabling DPDK: " + e.getMessage());
        }
        long deadline = System.nanoTime() + dpdkInitWait.toNanos();
        while (System.nanoTime() < deadline) {
            if (observe().dpdkInitialized()) {
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

    private static List<Change> bridgeCommands(PlannedDpdkBridge b, String token, String node, BridgeRow existing) {
        String bridge = b.getSpec().getBridgeName();
        Map<String, String> ids = new LinkedHashMap<>(Map.of(Nfvlab.OVS_OWNER_KEY, token, BRIDGE_KEY, b.getName(),
                SOCKET_DIR_KEY, VhostSockets.socketDir(b).toString()));
        if (node != null) {
            ids.put(NODE_KEY, node);
        }
        boolean matches = existing != null && "netdev".equals(existing.datapathType())
                && containsAll(existing.externalIds(), ids);
        if (matches) {
            return List.of();
        }
        if (existing == null) {
            ObjectNode columns = Ovsdb.row().put("datapath_type", "netdev");
            columns.set("external_ids", Ovsdb.map(ids));
            return List.of(t -> t.addBridge(bridge, columns));
        }
        return List.of(t -> t.update("Bridge", bridge, Ovsdb.row().put("datapath_type", "netdev"))
                .setKeys("Bridge", bridge, "external_ids", ids));
    }

    private static List<Change> portCommands(PlannedDpdkBridge b, String token, Observation obs,
                                             Map<String, String> problems) {
        String bridge = b.getSpec().getBridgeName();
        List<Change> commands = new ArrayList<>();
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
            InterfaceRow existing = obs.interfaces().get(name);
            Map<String, String> existingIds = existing == null ? Map.of() : existing.externalIds();
            if (existing != null && !existing.ownedBy(token)) {
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
            Long mtu = port.getMtu() == null ? null : port.getMtu().longValue();
            if (existing != null && sameBridge && type.equals(existing.type()) && existing.options().equals(options)
                    && Objects.equals(existing.mtuRequest(), mtu) && containsAll(existingIds, ids)) {
                continue;
            }
            // the interface's columns as a whole: options and mtu_request replaced (cleared when not wanted)
            ObjectNode columns = Ovsdb.row().put("type", type);
            columns.set("options", Ovsdb.map(options));
            if (mtu != null) {
                columns.put("mtu_request", mtu);
            } else {
                columns.set("mtu_request", Ovsdb.emptySet());
            }
            String oldPort = obs.portUuids().get(name);
            if (existing != null && !sameBridge && oldPort != null) {
                commands.add(t -> t.deletePort(oldPort));
            }
            if (existing == null || !sameBridge) {
                ObjectNode withIds = columns.deepCopy();
                withIds.set("external_ids", Ovsdb.map(ids));
                commands.add(t -> t.addPort(bridge, name, Ovsdb.row(), withIds));
            } else {
                commands.add(t -> t.update("Interface", name, columns).setKeys("Interface", name, "external_ids", ids));
            }
        }
        for (InterfaceRow row : obs.interfaces().values()) {
            String portUuid = obs.portUuids().get(row.name());
            if (row.ownedBy(token) && bridge.equals(row.externalIds().get(PORT_BRIDGE_KEY)) && !wanted.contains(row.name())
                    && portUuid != null) {
                commands.add(t -> t.deletePort(portUuid));
            }
        }
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
        BridgeRow row = obs.bridges().get(bridge);
        boolean ours = row != null && row.ownedBy(token);
        List<NodeBridgeStatus.PortStatus> ports = new ArrayList<>();
        boolean portsOk = true;
        for (VhostUserPort port : b.getSpec().getPorts() == null ? List.<VhostUserPort>of() : b.getSpec().getPorts()) {
            InterfaceRow iface = obs.interfaces().get(port.getName());
            var ps = NodeBridgeStatus.PortStatus.builder().name(port.getName())
                    .socketPath(VhostSockets.socketPath(b, port).toString());
            if (iface == null) {
                ps.state("error").error("port not created");
                portsOk = false;
            } else if (!iface.ownedBy(token)) {
                ps.state("error").error("an OVS port named " + port.getName() + " exists and is not owned by this DpdkBridge");
                portsOk = false;
            } else {
                String error = iface.error();
                Map<String, Long> stats = iface.statistics();
                ps.state(error != null && !error.isEmpty() ? "error" : Objects.requireNonNullElse(iface.linkState(), "down"))
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

    private static Long count(Map<String, Long> stats, String key) {
        return stats.getOrDefault(key, 0L);
    }

    private static boolean containsAll(Map<String, String> actual, Map<String, String> wanted) {
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(actual.get(e.getKey())));
    }

    /** Commits the changes as one transaction, waiting for ovs-vswitchd to apply them; the failure, or null. */
    private String commit(List<Change> changes) {
        OvsTransaction txn = new OvsTransaction();
        changes.forEach(c -> c.accept(txn));
        try {
            txn.commit(db, SWITCH_TIMEOUT);
            return null;
        } catch (IOException | OvsdbException e) {
            return "OVS transaction: " + e.getMessage();
        }
    }

    private void commitOrThrow(List<Change> changes) {
        String failure = changes.isEmpty() ? null : commit(changes);
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    private static String token(NetworkNodeState state) {
        var owner = state.getSpec() == null ? null : state.getSpec().getOwner();
        String token = owner == null ? null : owner.getToken();
        return token != null && TOKEN.matcher(token).matches() ? token : null;
    }

    /**
     * Deletes the sockets in a bridge's socket directory, then the directory itself when nothing else is in it. Only
     * sockets: a regular file or a FIFO that happens to end in .sock stays (and keeps the directory).
     */
    static void removeSocketDir(Path dir) {
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.sock")) {
            for (Path entry : entries) {
                if (VhostSockets.isSocket(entry)) {
                    Files.deleteIfExists(entry);
                }
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

    /** What OVS holds now: the Open_vSwitch row, every bridge, port and interface, by name, in one transaction. */
    private Observation observe() {
        List<JsonNode> results;
        try {
            results = db.transact(List.of(
                    Ovsdb.select("Open_vSwitch", Ovsdb.all(), "dpdk_initialized", "other_config", "iface_types"),
                    Ovsdb.select("Bridge", Ovsdb.all(), "_uuid", "name", "datapath_type", "external_ids"),
                    Ovsdb.select("Port", Ovsdb.all(), "_uuid", "name"),
                    Ovsdb.select("Interface", Ovsdb.all(), "name", "type", "options", "mtu_request", "external_ids",
                            "link_state", "statistics", "error")));
        } catch (IOException e) {
            throw new UncheckedIOException("OVS is not reachable (ovsdb-server " + OvsdbClient.DEFAULT_SOCKET + "): " + e.getMessage(), e);
        } catch (OvsdbException e) {
            throw new IllegalStateException("reading OVS: " + e.getMessage(), e);
        }
        List<Row> ovs = Ovsdb.rows(results.get(0));
        Row system = ovs.isEmpty() ? new Row(Ovsdb.row()) : ovs.get(0);
        Map<String, BridgeRow> bridges = new LinkedHashMap<>();
        for (Row r : Ovsdb.rows(results.get(1))) {
            bridges.put(r.string("name"), new BridgeRow(r.uuid(), r.string("name"), r.string("datapath_type"), r.map("external_ids")));
        }
        Map<String, String> ports = new LinkedHashMap<>();
        Ovsdb.rows(results.get(2)).forEach(r -> ports.put(r.string("name"), r.uuid()));
        Map<String, InterfaceRow> interfaces = new LinkedHashMap<>();
        for (Row r : Ovsdb.rows(results.get(3))) {
            interfaces.put(r.string("name"), new InterfaceRow(r.string("name"), r.string("type"), new TreeMap<>(r.map("options")),
                    r.number("mtu_request"), r.map("external_ids"), r.string("link_state"), r.counters("statistics"),
                    r.string("error")));
        }
        return new Observation(system.bool("dpdk_initialized"), system.map("other_config"),
                new TreeSet<>(system.set("iface_types")), bridges, ports, interfaces);
    }

    record Observation(boolean dpdkInitialized, Map<String, String> otherConfig, Set<String> ifaceTypes,
                       Map<String, BridgeRow> bridges, Map<String, String> portUuids, Map<String, InterfaceRow> interfaces) {
    }

    record BridgeRow(String uuid, String name, String datapathType, Map<String, String> externalIds) {
        boolean ownedBy(String token) {
            return token.equals(externalIds.get(Nfvlab.OVS_OWNER_KEY));
        }
    }

    /** An interface as this class reads it; {@code error} and {@code linkState} null when unset. */
    record InterfaceRow(String name, String type, Map<String, String> options, Long mtuRequest,
                        Map<String, String> externalIds, String linkState, Map<String, Long> statistics, String error) {
        boolean ownedBy(String token) {
            return token.equals(externalIds.get(Nfvlab.OVS_OWNER_KEY));
        }
    }
}
