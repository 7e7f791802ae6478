package io.nfvlab.api.node;

/**
 * Reasons of a NetworkNodeState's {@code Synced} condition that the operator folds into the owner's status by name
 * (the agent writes them, the operator reads them: one spelling for both).
 */
public final class SyncReasons {
    /**
     * The plan needs Open vSwitch (a switch of kind {@code ovs} or {@code ovs-dpdk}, or a DpdkBridge) and no
     * ovsdb-server answers on the node: nodes of an ordinary cluster have none. Linux-bridge parts are built anyway.
     */
    public static final String OVS_MISSING = "OvsMissing";

    private SyncReasons() {
    }
}
