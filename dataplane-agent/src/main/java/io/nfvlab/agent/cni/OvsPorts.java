package io.nfvlab.agent.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nfvlab.agent.ovs.Ovsdb;
import io.nfvlab.agent.ovs.OvsdbClient;
import io.nfvlab.agent.ovs.OvsdbException;
import io.nfvlab.agent.ovs.OvsTransaction;
import io.nfvlab.agent.ovs.Row;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private final OvsdbClient db;

    OvsPorts(Path dbSocket) {
        this.db = new OvsdbClient(dbSocket, Duration.ofMillis(TIMEOUT_MS));
    }

    static OvsPorts system() {
        return new OvsPorts(OvsdbClient.DEFAULT_SOCKET);
    }

    /** One transaction (the client opens a connection that broke since the last call again, once). */
    private List<JsonNode> transact(String what, List<ObjectNode> ops) throws CniException {
        try {
            return db.transact(ops);
        } catch (IOException e) {
            throw new CniException(CniException.TRY_AGAIN_LATER, "OVS is not reachable (" + what + "): " + e.getMessage());
        } catch (OvsdbException e) {
            throw new CniException(CniException.TRY_AGAIN_LATER, what + ": " + e.getMessage());
        }
    }

    public boolean bridgeExists(String bridge) throws CniException {
        return !Ovsdb.rows(transact("reading bridge " + bridge, List.of(Ovsdb.select("Bridge", Ovsdb.nameIs(bridge), "name")))
                .get(0)).isEmpty();
    }

    /**
     * Adds the vhost-user port to the bridge, or brings an existing one of that name on that bridge to this
     * configuration (ovs-vsctl's --may-exist add-port … -- set Interface …).
     */
    public void addPort(String bridge, String port, boolean ovsClient, String socketPath, String containerId, String mac)
            throws CniException {
        List<JsonNode> found = transact("adding port " + port, List.of(
                Ovsdb.select("Bridge", Ovsdb.nameIs(bridge), "ports"),
                Ovsdb.select("Port", Ovsdb.nameIs(port), "_uuid")));
        List<Row> bridges = Ovsdb.rows(found.get(0));
        if (bridges.isEmpty()) {
            throw missingBridge(bridge);
        }
        List<Row> ports = Ovsdb.rows(found.get(1));

        ObjectNode iface = Ovsdb.row().put("type", ovsClient ? "dpdkvhostuserclient" : "dpdkvhostuser");
        iface.set("options", Ovsdb.map(ovsClient ? Map.of("vhost-server-path", socketPath) : Map.of()));
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put(MARK_KEY, port);
        ids.put("nfvlab-container", containerId);
        // the key OVS integrations use for the guest's MAC (the virtio device's address behind the vhost-user port)
        ids.put("attached-mac", mac);
        iface.set("external_ids", Ovsdb.map(ids));
        if (!ports.isEmpty()) {
            if (!bridges.get(0).set("ports").contains(ports.get(0).uuid())) {
                throw new CniException(CniException.TRY_AGAIN_LATER, "port " + port + " exists on another bridge than " + bridge);
            }
            transact("updating port " + port, List.of(Ovsdb.update("Interface", Ovsdb.nameIs(port), iface)));
        } else {
            // the bridge must still be there when the port goes in: else the transaction fails as a whole
            OvsTransaction add = new OvsTransaction().addPort(bridge, port, Ovsdb.row(), iface);
            try {
                db.transact(prepend(Ovsdb.exists("Bridge", Ovsdb.nameIs(bridge)), add));
            } catch (OvsdbException e) {
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

    private static List<ObjectNode> prepend(ObjectNode first, OvsTransaction rest) {
        List<ObjectNode> ops = new java.util.ArrayList<>();
        ops.add(first);
        ops.addAll(rest.operations());
        return ops;
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
        List<Row> ports = Ovsdb.rows(transact("deleting port " + port, List.of(Ovsdb.select("Port", Ovsdb.nameIs(port), "_uuid"))).get(0));
        for (Row row : ports) {
            // OVSDB removes the Port and its Interface once no bridge refers to them
            transact("deleting port " + port, new OvsTransaction().deletePort(row.uuid()).operations());
        }
    }

    /** The port's error column, "" when it has none, or null when the port does not exist. */
    public String portError(String port) throws CniException {
        List<Row> rows = Ovsdb.rows(transact("reading port " + port, List.of(Ovsdb.select("Interface", Ovsdb.nameIs(port), "error"))).get(0));
        if (rows.isEmpty()) {
            return null;
        }
        // an optional string: the string, or an empty set
        String error = rows.get(0).string("error");
        return error == null ? "" : error;
    }

    @Override
    public void close() {
        db.close();
    }
}
