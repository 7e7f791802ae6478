package io.nfvlab.operator;

import io.fabric8.kubernetes.api.model.Toleration;
import io.nfvlab.api.Nfvlab;
import lombok.Builder;
import lombok.Singular;
import lombok.Value;

import java.time.Duration;
import java.util.List;
import java.util.Map;

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

    /** Namespace of the agent Leases and of the agent DaemonSet. */
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

    /** MTU of the underlay between nodes; tunnelled links get this minus the 50-byte VXLAN overhead. */
    @Builder.Default
    int underlayMtu = 1500;

    /**
     * Deploy and keep the agent DaemonSet in {@link #systemNamespace}. Off by default, and left off by
     * {@link #embeddedDefaults()}: the in-process API server has no kubelet to run it, the agents run in-process.
     */
    @Builder.Default
    boolean manageAgentDaemonSet = false;

    @Builder.Default
    String agentImage = "ghcr.io/nfvlab/nfvlab-agent:0.1.0";

    @Builder.Default
    String agentServiceAccount = "nfvlab-agent";

    @Singular("agentNodeSelector")
    Map<String, String> agentNodeSelector;

    @Singular
    List<Toleration> agentTolerations;

    /** Field manager for server-side apply and the fieldManager of every write. */
    @Builder.Default
    String fieldManager = "nfvlab-operator";

    /** The defaults for running against the in-process API server (tests, {@code nfvlab run}). */
    public static OperatorConfig embeddedDefaults() {
        return builder().embedded(true).build();
    }

    public boolean agentDaemonSetManaged() {
        return manageAgentDaemonSet;
    }
}
