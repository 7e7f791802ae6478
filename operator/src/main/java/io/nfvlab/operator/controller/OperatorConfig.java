package io.nfvlab.operator.controller;

import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.plan.VniRange;
import lombok.Builder;
import lombok.Value;

import java.time.Duration;

/** How one operator instance runs. Build with {@code OperatorConfig.builder()}; every field has a default. */
@Value
@Builder(toBuilder = true)
public class OperatorConfig {
    /**
     * Against the in-process mock API server: it has no server-side apply, so the SDK patches with JSON patches and
     * node states are written with plain create/update. Real clusters keep server-side apply.
     */
    @Builder.Default
    boolean embedded = false;

    /** Port of the /metrics, /healthz and /readyz endpoints: 0 off, -1 a random free port. */
    @Builder.Default
    int metricsPort = 0;

    /** IP address the /metrics, /healthz and /readyz endpoints bind to; null: every address. */
    String metricsAddress;

    /** Namespace of the agent Leases and of the operator's leader Lease. */
    @Builder.Default
    String systemNamespace = Nfvlab.DEFAULT_SYSTEM_NAMESPACE;

    /**
     * A node whose agent Lease has not been renewed for this long (or that no longer exists) no longer blocks the
     * deletion of a topology: the operator releases the agent finalizer of that node's state and says so in an event.
     */
    @Builder.Default
    Duration nodeGoneGrace = Duration.ofMinutes(2);

    /** Reconciler threads; the SDK's default (50) is far more than the planning work needs. */
    @Builder.Default
    int reconcileThreads = 10;

    /** UDP port of the VXLAN tunnels between nodes. */
    @Builder.Default
    int vxlanPort = 4789;

    /**
     * The VNIs cross-node links get ({@link VniRange#DEFAULT}: 1048576-16777215, clear of Flannel's, Calico's and
     * Cilium's). Links keep the VNI they have while it is in the range; changing the range re-plans the others.
     */
    @Builder.Default
    VniRange vniRange = VniRange.DEFAULT;

    /** MTU of the underlay between nodes; tunnelled links get this minus the 50-byte VXLAN overhead. */
    @Builder.Default
    int underlayMtu = 1500;

    /**
     * Reconcile only while holding the Lease {@code nfvlab-operator} in {@link #systemNamespace}, so that two replicas
     * are safe (one reconciles, the other waits). Off for the in-process API server and for a single plain process.
     */
    @Builder.Default
    boolean leaderElection = false;

    /** Field manager for server-side apply and the fieldManager of every write. */
    @Builder.Default
    String fieldManager = "nfvlab-operator";
    /**
     * The NetworkAttachmentDefinition ("namespace/name") the Pods of container hosts name in Multus's networks
     * annotation; null: the chart's, {@code <systemNamespace>/nfvlab-hosts}.
     */
    String podHostsNetwork;
    /**
     * Whether container hosts may be Pods: false where the operator has no rights on Pods (the chart's
     * {@code podHosts.enabled=false}) or no node's agent runs pod hosts ({@code nfvlab run}). Then the operator never
     * touches a Pod, and a topology with a pod host is not Ready, saying so.
     */
    @Builder.Default
    boolean podHosts = true;

    /**
     * Whether DpdkBridges can exist: the DpdkBridge controller runs (its four informers with it) and topologies watch
     * them. {@code nfvlab run} leaves both out of a run that applies no DpdkBridge and has no prompt to apply one later,
     * where a topology naming a bridge finds none, as it would with them watched.
     */
    @Builder.Default
    boolean dpdkBridges = true;

    /**
     * Whether LinkProfiles can exist: topologies watch them (one informer). {@code nfvlab run} leaves it out of a run
     * that applies no LinkProfile and has no prompt to apply one later, where a topology naming a profile finds none,
     * as it would with them watched.
     */
    @Builder.Default
    boolean linkProfiles = true;

    /** The defaults for running against the in-process API server (tests, {@code nfvlab run}). */
    public static OperatorConfig embeddedDefaults() {
        return builder().embedded(true).build();
    }
}
