package io.nfvlab.api.expansion.builtins;

/** What a built-in calls to build its graph: Mininet's addHost, addSwitch and addLink. */
public interface GraphBuilder {
    void host(String name);

    /** A switch of the topology's switch kind; stp for built-ins with loops (torus). */
    void builtinSwitch(String name, boolean stp);

    /** A link on the next free port of each end (hosts from 0, switches from 1). */
    void link(String a, String b);

    /** A link on the given ports (Mininet SingleSwitchReversedTopo's port1/port2). */
    void linkOnPorts(String a, int portA, String b, int portB);
}
