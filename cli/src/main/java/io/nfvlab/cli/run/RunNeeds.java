package io.nfvlab.cli.run;

/**
 * What one {@code nfvlab run} can need besides namespaces, links and switches, known from its files and options before
 * anything starts: both come only from the files, or from the prompt of a run that stays up (--keep). The control
 * plane starts nothing for what the run cannot need.
 *
 * @param containerHosts whether the agent asks the container runtime at its start (`podman version`)
 * @param dpdkBridges    whether the operator runs its DpdkBridge controller (four informers) and its topologies watch
 *                       DpdkBridges (one more)
 * @param linkProfiles   whether the operator's topologies watch LinkProfiles (one informer)
 */
record RunNeeds(boolean containerHosts, boolean dpdkBridges, boolean linkProfiles) {
    /** For a control plane whose use is not known when it starts (tests, a caller without files). */
    static final RunNeeds EVERYTHING = new RunNeeds(true, true, true);
}
