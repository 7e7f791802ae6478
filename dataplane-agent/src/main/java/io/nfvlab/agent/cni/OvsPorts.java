package io.nfvlab.agent.cni;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OVS side of an attachment, as OVSDB transactions on ovsdb-server's socket (what ovs-vsctl would do, without
 * a process per call). Ports carry {@code external_ids:nfvlab-cni=<port>} so that they can be told from everyone
 * else's. Nothing here waits for ovs-vswitchd to apply a change (ovs-vsctl's --no-wait), except where the plugin
 * needs what it makes: the socket of a port that OVS serves.
 */
public final class OvsPorts implements AutoCloseable {
    public static final String MARK_KEY = "nfvlab-cni";
    static final Path OVS_RUN_DIR = Path.of("/var/run/openvswitch");
    private static final long TIMEOUT_MS = 10_000;

    private final Ovsdb db;

    OvsPorts(Path dbSocket) {
        this.db = new Ovsdb(dbSocket, TIMEOUT_MS);
    }

    static OvsPorts system() {
        return new OvsPorts(Ovsdb.DEFAULT_SOCKET);
    }

    /** One transaction; a connection that broke since the last call (ovsdb-server restarted) is opened again once. */
    private List<Map<String, Object>> transact(String what, List<Map<String, Object>> ops) throws CniException {
        try {
            try {
                return db.transact(ops);
            } catch (IOException first) {
                return db.transact(ops);
            }
        } catch (IOException e) {
            throw new CniException(CniException.TRY_AGAIN_LATER, "OVS is not reachable (" + what + "): " + e.getMessage());
        } catch (Ovsdb.OvsdbException e) {
            throw new CniException(CniException.TRY_AGAIN_LATER, what + ": " + e.getMessage());
        }
    }

    public boolean bridgeExists(String bridge) throws CniException {
        Map<String, Object> select = Ovsdb.op("select", "Bridge");
        select.put("where", Ovsdb.nameIs(bridge));
        select.put("columns", List.of("name"));
        return !Ovsdb.rows(transact("reading bridge " + bridge, List.of(select)).get(0)).isEmpty();
    }

    /**
     * Adds the vhost-user port to the bridge, or brings an existing one of that name on that bridge to this
     * configuration (ovs-vsctl's --may-exist add-port … -- set Interface …).
     */
    public void addPort(String bridge, String port, boolean ovsClient, String socketPath, String containerId)
            throws CniException {
        Map<String, Object> bridgeQuery = Ovsdb.op("select", "Bridge");
        bridgeQuery.put("where", Ovsdb.nameIs(bridge));
        bridgeQuery.put("columns", List.of("ports"));
        Map<String, Object> portQuery = Ovsdb.op("select", "Port");
        portQuery.put("where", Ovsdb.nameIs(port));
        portQuery.put("columns", List.of("_uuid"));
        List<Map<String, Object>> found = transact("adding port " + port, List.of(bridgeQuery, portQuery));
        List<Map<String, Object>> bridges = Ovsdb.rows(found.get(0));
        if (bridges.isEmpty()) {
            throw missingBridge(bridge);
        }
        List<Map<String, Object>> ports = Ovsdb.rows(found.get(1));

        Map<String, Object> iface = new LinkedHashMap<>();
        iface.put("type", ovsClient ? "dpdkvhostuserclient" : "dpdkvhostuser");
        iface.put("options", Ovsdb.map(ovsClient ? Map.of("vhost-server-path", socketPath) : Map.of()));
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put(MARK_KEY, port);
        ids.put("nfvlab-container", containerId);
        iface.put("external_ids", Ovsdb.map(ids));
        if (!ports.isEmpty()) {
            String existing = Ovsdb.uuidOf(ports.get(0).get("_uuid"));
            if (!uuids(bridges.get(0).get("ports")).contains(existing)) {
                throw new CniException(CniException.TRY_AGAIN_LATER, "port " + port + " exists on another bridge than " + bridge);
            }
            Map<String, Object> update = Ovsdb.op("update", "Interface");
            update.put("where", Ovsdb.nameIs(port));
            update.put("row", iface);
            transact("updating port " + port, List.of(update));
        } else {
            // the bridge must still be there when the port goes in: else the transaction fails as a whole
            Map<String, Object> bridgeStillThere = Ovsdb.op("wait", "Bridge");
            bridgeStillThere.put("where", Ovsdb.nameIs(bridge));
            bridgeStillThere.put("columns", List.of("name"));
            bridgeStillThere.put("until", "==");
            bridgeStillThere.put("rows", List.of(Map.of("name", bridge)));
            bridgeStillThere.put("timeout", 0);
            iface.put("name", port);
            Map<String, Object> insertIface = Ovsdb.op("insert", "Interface");
            insertIface.put("row", iface);
            insertIface.put("uuid-name", "iface");
            Map<String, Object> portRow = new LinkedHashMap<>();
            portRow.put("name", port);
            portRow.put("interfaces", Ovsdb.namedUuid("iface"));
            Map<String, Object> insertPort = Ovsdb.op("insert", "Port");
            insertPort.put("row", portRow);
            insertPort.put("uuid-name", "port");
            Map<String, Object> attach = Ovsdb.op("mutate", "Bridge");
            attach.put("where", Ovsdb.nameIs(bridge));
            attach.put("mutations", List.of(List.of("ports", "insert", Ovsdb.namedUuid("port"))));
            try {
                db.transact(List.of(bridgeStillThere, insertIface, insertPort, attach));
            } catch (Ovsdb.OvsdbException e) {
                throw e.getMessage().startsWith("timed out") ? missingBridge(bridge)
                        : new CniException(CniException.TRY_AGAIN_LATER, "adding port " + port + " to " + bridge + ": " + e.getMessage());
            } catch (IOException e) {
                throw new CniException(CniException.TRY_AGAIN_LATER, "OVS is not reachable (adding port " + port + "): " + e.getMessage());
            }
        }
        if (!ovsClient) {
            awaitServerSocket(port);
        }
    }

    private static CniException missingBridge(String bridge) {
        return new CniException(CniException.TRY_AGAIN_LATER, "OVS bridge " + bridge
                + " does not exist (yet): is its DpdkBridge Ready on this node?");
    }

    /** A dpdkvhostuser port's socket is made by ovs-vswitchd when it applies the port: the plugin links to it. */
    private void awaitServerSocket(String port) throws CniException {
        Path socket = OVS_RUN_DIR.resolve(port);
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
        while (!Files.exists(socket)) {
            String error = portError(port);
            if (error != null && !error.isEmpty()) {
                throw new CniException(CniException.TRY_AGAIN_LATER, "OVS port " + port + ": " + error);
            }
            if (System.nanoTime() > deadline) {
                throw new CniException(CniException.TRY_AGAIN_LATER, "ovs-vswitchd did not create " + socket + " within "
                        + TIMEOUT_MS / 1000 + " s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CniException(CniException.TRY_AGAIN_LATER, "interrupted waiting for " + socket);
            }
        }
    }

    /** Removes the port from whichever bridge has it; nothing to do when there is none (ovs-vsctl --if-exists del-port). */
    public void deletePort(String port) throws CniException {
        Map<String, Object> portQuery = Ovsdb.op("select", "Port");
        portQuery.put("where", Ovsdb.nameIs(port));
        portQuery.put("columns", List.of("_uuid"));
        List<Map<String, Object>> ports = Ovsdb.rows(transact("deleting port " + port, List.of(portQuery)).get(0));
        for (Map<String, Object> row : ports) {
            // OVSDB removes the Port and its Interface once no bridge refers to them
            Object uuid = Ovsdb.uuid(Ovsdb.uuidOf(row.get("_uuid")));
            Map<String, Object> detach = Ovsdb.op("mutate", "Bridge");
            detach.put("where", List.of(List.of("ports", "includes", uuid)));
            detach.put("mutations", List.of(List.of("ports", "delete", uuid)));
            transact("deleting port " + port, List.of(detach));
        }
    }

    /** The port's error column, "" when it has none, or null when the port does not exist. */
    public String portError(String port) throws CniException {
        Map<String, Object> select = Ovsdb.op("select", "Interface");
        select.put("where", Ovsdb.nameIs(port));
        select.put("columns", List.of("error"));
        List<Map<String, Object>> rows = Ovsdb.rows(transact("reading port " + port, List.of(select)).get(0));
        if (rows.isEmpty()) {
            return null;
        }
        // an optional string: the string, or an empty set
        return rows.get(0).get("error") instanceof String s ? s : "";
    }

    /** A set of UUIDs as OVSDB writes it: one {@code ["uuid", u]} or {@code ["set", [["uuid", u], …]]}. */
    private static Set<String> uuids(Object value) {
        Set<String> out = new HashSet<>();
        if (Ovsdb.uuidOf(value) != null) {
            out.add(Ovsdb.uuidOf(value));
        } else if (value instanceof List<?> l && l.size() == 2 && "set".equals(l.get(0)) && l.get(1) instanceof List<?> members) {
            members.forEach(m -> out.add(Ovsdb.uuidOf(m)));
        }
        return out;
    }

    @Override
    public void close() {
        db.close();
    }
}
