package io.nfvlab.agent.kernel.linux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.Action.*;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.kernel.Marks;
import io.nfvlab.agent.kernel.Observed;
import io.nfvlab.agent.kernel.OvsOps;
import io.nfvlab.agent.ovs.Ovsdb;
import io.nfvlab.agent.ovs.OvsdbClient;
import io.nfvlab.agent.ovs.OvsdbException;
import io.nfvlab.agent.ovs.OvsTransaction;
import io.nfvlab.agent.ovs.Row;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OVS through ovsdb-server's socket: one transaction reads every bridge and port marked for this node (and interface
 * errors); one transaction applies all changes. Bridges use the userspace {@code netdev} datapath (the openvswitch
 * kernel module is often absent) and fail mode standalone, so they learn without a controller.
 */
final class LinuxOvsOps implements OvsOps {
    static final String CONTROLLER_KEY = "nfvlab-controller";
    /** How long a change may take ovs-vswitchd to apply (a netdev bridge is slow to come up on a busy node). */
    private static final Duration SWITCH_TIMEOUT = Duration.ofSeconds(30);

    private final OvsdbClient db;

    LinuxOvsOps() {
        this(OvsdbClient.system());
    }

    LinuxOvsOps(OvsdbClient db) {
        this.db = db;
    }

    @Override
    public Observed.Ovs observe(String node) {
        JsonNode mark = Ovsdb.map(Map.of(Marks.OVS_NODE_KEY, node));
        List<JsonNode> results;
        try {
            results = db.transact(List.of(
                    Ovsdb.select("Bridge", Ovsdb.where("external_ids", "includes", mark),
                            "name", "external_ids", "datapath_type", "stp_enable", "ports"),
                    Ovsdb.select("Port", Ovsdb.where("external_ids", "includes", mark), "_uuid", "name", "external_ids"),
                    Ovsdb.select("Interface", Ovsdb.where("error", "!=", Ovsdb.emptySet()), "name", "error")));
        } catch (IOException | OvsdbException e) {
            return Observed.Ovs.NONE;
        }
        Map<String, String> errors = new HashMap<>();
        for (Row row : Ovsdb.rows(results.get(2))) {
            errors.put(row.string("name"), row.string("error"));
        }
        Map<String, String> bridgeOfPort = new HashMap<>();
        Map<String, Observed.OvsBridge> bridges = new TreeMap<>();
        for (Row row : Ovsdb.rows(results.get(0))) {
            String name = row.string("name");
            Map<String, String> ids = new TreeMap<>(row.map("external_ids"));
            row.set("ports").forEach(uuid -> bridgeOfPort.put(uuid, name));
            bridges.put(name, new Observed.OvsBridge(name, ids, row.string("datapath_type"), row.bool("stp_enable"),
                    ids.get(CONTROLLER_KEY), errors.get(name)));
        }
        Map<String, Observed.OvsPort> ports = new TreeMap<>();
        for (Row row : Ovsdb.rows(results.get(1))) {
            String name = row.string("name");
            ports.put(name, new Observed.OvsPort(name, bridgeOfPort.getOrDefault(row.uuid(), ""),
                    new TreeMap<>(row.map("external_ids")), errors.get(name)));
        }
        return new Observed.Ovs(true, bridges, ports);
    }

    @Override
    public BatchResult apply(List<Action> actions) {
        try {
            Map<String, String> bridgeUuids = new HashMap<>();
            Map<String, String> portUuids = new HashMap<>();
            if (actions.stream().anyMatch(a -> a instanceof OvsBridgeDel || a instanceof OvsPortDel)) {
                List<JsonNode> found = db.transact(List.of(Ovsdb.select("Bridge", Ovsdb.all(), "_uuid", "name"),
                        Ovsdb.select("Port", Ovsdb.all(), "_uuid", "name")));
                Ovsdb.rows(found.get(0)).forEach(r -> bridgeUuids.put(r.string("name"), r.uuid()));
                Ovsdb.rows(found.get(1)).forEach(r -> portUuids.put(r.string("name"), r.uuid()));
            }
            OvsTransaction txn = new OvsTransaction();
            for (Action a : actions) {
                if (a instanceof OvsBridgeAdd x) {
                    Map<String, String> ids = new TreeMap<>(x.externalIds());
                    if (x.controller() != null) ids.put(CONTROLLER_KEY, x.controller());
                    ObjectNode columns = Ovsdb.row().put("datapath_type", "netdev").put("fail_mode", "standalone")
                            .put("stp_enable", x.stp());
                    columns.set("external_ids", Ovsdb.map(ids));
                    txn.addBridge(x.bridge(), columns);
                    if (x.controller() != null) txn.setController(x.bridge(), x.controller());
                } else if (a instanceof OvsBridgeSet x) {
                    txn.update("Bridge", x.bridge(), Ovsdb.row().put("stp_enable", x.stp()));
                    if (x.controller() != null) {
                        txn.setKeys("Bridge", x.bridge(), "external_ids", Map.of(CONTROLLER_KEY, x.controller()));
                        txn.setController(x.bridge(), x.controller());
                    } else {
                        txn.removeKeys("Bridge", x.bridge(), "external_ids", List.of(CONTROLLER_KEY));
                        txn.clearController(x.bridge());
                    }
                } else if (a instanceof OvsBridgeDel x) {
                    if (bridgeUuids.containsKey(x.bridge())) txn.deleteBridge(bridgeUuids.get(x.bridge()));
                } else if (a instanceof OvsPortAdd x) {
                    ObjectNode port = Ovsdb.row();
                    port.set("external_ids", Ovsdb.map(x.externalIds()));
                    ObjectNode iface = Ovsdb.row();
                    if (x.vhostUser() != null) {
                        iface.put("type", "dpdkvhostuserclient");
                        iface.set("options", Ovsdb.map(Map.of("vhost-server-path", x.vhostUser().socket())));
                        if (x.vhostUser().mtu() != null) {
                            iface.put("mtu_request", x.vhostUser().mtu());
                        }
                    }
                    txn.addPort(x.bridge(), x.port(), port, iface);
                } else if (a instanceof OvsPortDel x) {
                    if (portUuids.containsKey(x.port())) txn.deletePort(portUuids.get(x.port()));
                }
            }
            // removals commit without waiting for ovs-vswitchd to reconfigure after each one (it tears a netdev-datapath
            // bridge down slowly); the caller's next observation sees the database, which is already final
            boolean onlyRemovals = actions.stream().allMatch(a -> a instanceof OvsBridgeDel || a instanceof OvsPortDel);
            txn.commit(db, onlyRemovals ? null : SWITCH_TIMEOUT);
            return BatchResult.OK;
        } catch (IOException e) {
            return BatchResult.allFailed(actions, "OVS (ovsdb-server " + OvsdbClient.DEFAULT_SOCKET + "; is openvswitch-switch "
                    + "installed and started? scripts/setup-host.sh): " + e.getMessage());
        } catch (OvsdbException e) {
            return BatchResult.allFailed(actions, "OVS transaction: " + e.getMessage());
        }
    }
}
