package io.nfvlab.api;

/** Constants of the nfvlab API shared by the operator, the agent, the CNI plugin and the CLI. */
public final class Nfvlab {
    public static final String GROUP = "nfvlab.io";
    public static final String VERSION = "v1alpha1";
    public static final String CATEGORY = "nfvlab";

    /** Label on every NetworkNodeState naming the Kubernetes node whose agent realizes it. */
    public static final String NODE_LABEL = GROUP + "/node";
    /** Labels on a NetworkNodeState naming the resource it was planned from. */
    public static final String OWNER_KIND_LABEL = GROUP + "/owner-kind";
    public static final String OWNER_NAME_LABEL = GROUP + "/owner-name";
    public static final String OWNER_NAMESPACE_LABEL = GROUP + "/owner-namespace";

    /** Finalizer the operator holds on topologies and bridges; the agent holds its own on node states. */
    public static final String OPERATOR_FINALIZER = GROUP + "/operator";
    public static final String AGENT_FINALIZER = GROUP + "/agent";

    /** Every kernel interface the agent creates carries an ifalias starting with this mark. */
    public static final String IFALIAS_MARK = "nfvlab:";
    /** OVS external_ids key carrying the owner token on bridges and ports the agent creates. */
    public static final String OVS_OWNER_KEY = "nfvlab-owner";
    /** Prefix of every network namespace the agent creates. */
    public static final String NETNS_PREFIX = "nfv-";

    /** Label an agent puts on its Node when it runs there; the operator places work only on such nodes. */
    public static final String AGENT_LABEL = GROUP + "/agent";
    public static final String AGENT_READY = "ready";
    /** Node label an agent sets when it can run container hosts; the value names the runtime (podman). */
    public static final String CONTAINER_RUNTIME_LABEL = GROUP + "/container-runtime";
    /** Annotation on a Node with the underlay address VXLAN tunnels to that node use (default: the InternalIP). */
    public static final String UNDERLAY_ANNOTATION = GROUP + "/underlay-ip";
    /** Each agent renews a Lease named this prefix + node name, in the nfvlab namespace, every few seconds. */
    public static final String AGENT_LEASE_PREFIX = "nfvlab-agent-";
    public static final String DEFAULT_SYSTEM_NAMESPACE = "nfvlab-system";

    private Nfvlab() {
    }
}
