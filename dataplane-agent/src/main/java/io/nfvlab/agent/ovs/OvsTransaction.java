package io.nfvlab.agent.ovs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * ovs-vsctl's commands as the OVSDB operations it would send, gathered into one transaction (what a chain of
 * {@code ovs-vsctl -- cmd -- cmd} is). Each method names its ovs-vsctl equivalent. Ports, interfaces and controllers
 * are not root rows: once no bridge refers to them the database removes them, which is how del-br and del-port work.
 */
public final class OvsTransaction {
    private final List<ObjectNode> ops = new ArrayList<>();
    private int names;

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    /** The operations so far, for a caller that sends them with operations of its own. */
    public List<ObjectNode> operations() {
        return List.copyOf(ops);
    }

    /**
     * {@code add-br NAME -- set Bridge NAME COLUMNS}: the bridge, its internal port and interface of the same name,
     * listed in Open_vSwitch.bridges. Fails (the name is a unique index) when the bridge exists.
     */
    public OvsTransaction addBridge(String name, ObjectNode columns) {
        String iface = name("iface");
        String port = name("port");
        String bridge = name("bridge");
        ops.add(Ovsdb.insert("Interface", Ovsdb.row().put("name", name).put("type", "internal"), iface));
        ObjectNode portRow = Ovsdb.row().put("name", name);
        portRow.set("interfaces", Ovsdb.namedUuid(iface));
        ops.add(Ovsdb.insert("Port", portRow, port));
        ObjectNode bridgeRow = columns.deepCopy().put("name", name);
        bridgeRow.set("ports", Ovsdb.namedUuid(port));
        ops.add(Ovsdb.insert("Bridge", bridgeRow, bridge));
        ops.add(Ovsdb.mutate("Open_vSwitch", Ovsdb.all(), Ovsdb.mutation("bridges", "insert", Ovsdb.namedUuid(bridge))));
        return this;
    }

    /** {@code del-br}: the bridge (by UUID) leaves Open_vSwitch.bridges; its ports and interfaces go with it. */
    public OvsTransaction deleteBridge(String bridgeUuid) {
        ops.add(Ovsdb.mutate("Open_vSwitch", Ovsdb.all(), Ovsdb.mutation("bridges", "delete", Ovsdb.uuid(bridgeUuid))));
        return this;
    }

    /**
     * {@code add-port BRIDGE NAME -- set Port NAME PORT_COLUMNS -- set Interface NAME IFACE_COLUMNS}. The bridge may
     * have been added earlier in this transaction.
     */
    public OvsTransaction addPort(String bridge, String name, ObjectNode portColumns, ObjectNode ifaceColumns) {
        String iface = name("iface");
        String port = name("port");
        ops.add(Ovsdb.insert("Interface", ifaceColumns.deepCopy().put("name", name), iface));
        ObjectNode portRow = portColumns.deepCopy().put("name", name);
        portRow.set("interfaces", Ovsdb.namedUuid(iface));
        ops.add(Ovsdb.insert("Port", portRow, port));
        ops.add(Ovsdb.mutate("Bridge", Ovsdb.nameIs(bridge), Ovsdb.mutation("ports", "insert", Ovsdb.namedUuid(port))));
        return this;
    }

    /** {@code del-port}: the port (by UUID) leaves whichever bridge holds it, its interface with it. */
    public OvsTransaction deletePort(String portUuid) {
        ops.add(Ovsdb.mutate("Bridge", Ovsdb.where("ports", "includes", Ovsdb.uuid(portUuid)),
                Ovsdb.mutation("ports", "delete", Ovsdb.uuid(portUuid))));
        return this;
    }

    /** {@code set TABLE NAME COLUMN=VALUE …} for whole columns ({@code clear} is a column set to an empty set). */
    public OvsTransaction update(String table, String name, ObjectNode columns) {
        ops.add(Ovsdb.update(table, Ovsdb.nameIs(name), columns));
        return this;
    }

    /**
     * {@code set TABLE NAME COLUMN:KEY=VALUE …}: these keys of a map column get these values, other keys stay.
     * {@code name} null means the Open_vSwitch table's only row ({@code .}).
     */
    public OvsTransaction setKeys(String table, String name, String column, Map<String, String> entries) {
        if (!entries.isEmpty()) {
            // a map insert leaves existing keys alone: delete them first
            ops.add(Ovsdb.mutate(table, name == null ? Ovsdb.all() : Ovsdb.nameIs(name),
                    Ovsdb.mutation(column, "delete", Ovsdb.set(entries.keySet())),
                    Ovsdb.mutation(column, "insert", Ovsdb.map(entries))));
        }
        return this;
    }

    /** {@code remove TABLE NAME COLUMN KEY…}. */
    public OvsTransaction removeKeys(String table, String name, String column, Collection<String> keys) {
        ops.add(Ovsdb.mutate(table, Ovsdb.nameIs(name), Ovsdb.mutation(column, "delete", Ovsdb.set(keys))));
        return this;
    }

    /** {@code set-controller BRIDGE TARGET}: a new Controller row replaces the bridge's controllers. */
    public OvsTransaction setController(String bridge, String target) {
        String controller = name("controller");
        ops.add(Ovsdb.insert("Controller", Ovsdb.row().put("target", target), controller));
        ObjectNode row = Ovsdb.row();
        row.set("controller", Ovsdb.namedUuid(controller));
        ops.add(Ovsdb.update("Bridge", Ovsdb.nameIs(bridge), row));
        return this;
    }

    /** {@code del-controller BRIDGE}. */
    public OvsTransaction clearController(String bridge) {
        ObjectNode row = Ovsdb.row();
        row.set("controller", Ovsdb.emptySet());
        ops.add(Ovsdb.update("Bridge", Ovsdb.nameIs(bridge), row));
        return this;
    }

    /**
     * Commits the transaction. With a {@code switchTimeout}, also waits (as ovs-vsctl without --no-wait) until
     * ovs-vswitchd has applied it, at most that long: ports and their sockets exist when this returns. Null: returns
     * once the database holds the change (ovs-vsctl --no-wait).
     */
    public void commit(OvsdbClient db, Duration switchTimeout) throws IOException, OvsdbException {
        boolean awaitSwitch = switchTimeout != null;
        if (ops.isEmpty()) {
            return;
        }
        List<ObjectNode> all = new ArrayList<>(ops);
        if (awaitSwitch) {
            all.add(Ovsdb.mutate("Open_vSwitch", Ovsdb.all(), Ovsdb.mutation("next_cfg", "+=", Ovsdb.JSON.getNodeFactory().numberNode(1))));
            all.add(Ovsdb.select("Open_vSwitch", Ovsdb.all(), "next_cfg"));
        }
        List<JsonNode> results = db.transact(all);
        if (awaitSwitch) {
            long wanted = Ovsdb.rows(results.get(results.size() - 1)).get(0).number("next_cfg");
            awaitApplied(db, wanted, switchTimeout);
        }
    }

    /** Polls cur_cfg, which ovs-vswitchd sets to the next_cfg it has applied. */
    static void awaitApplied(OvsdbClient db, long nextCfg, Duration timeout) throws IOException, OvsdbException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long pause = 1; ; pause = Math.min(pause * 2, 50)) {
            List<Row> rows = Ovsdb.rows(db.transact(List.of(Ovsdb.select("Open_vSwitch", Ovsdb.all(), "cur_cfg"))).get(0));
            Long cur = rows.isEmpty() ? null : rows.get(0).number("cur_cfg");
            if (cur != null && cur >= nextCfg) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("ovs-vswitchd did not apply the change within " + timeout.toSeconds()
                        + " s (committed to the database; is ovs-vswitchd running?)");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for ovs-vswitchd");
            }
        }
    }

    private String name(String kind) {
        return kind + (++names);
    }
}
