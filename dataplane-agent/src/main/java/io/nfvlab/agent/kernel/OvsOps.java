package io.nfvlab.agent.kernel;

import java.util.List;

/**
 * Open vSwitch through ovsdb-server (io.nfvlab.agent.ovs): reads bridges and ports marked for this node, and applies
 * bridge and port changes as one OVSDB transaction (what {@code ovs-vsctl -- add-br … -- add-port …} would send).
 */
public interface OvsOps {
    /** Bridges and ports whose external_ids name this node; {@link Observed.Ovs#NONE} when OVS is not reachable. */
    Observed.Ovs observe(String node);

    BatchResult apply(List<Action> actions);
}
