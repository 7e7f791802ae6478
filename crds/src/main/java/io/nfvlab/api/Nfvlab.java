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
    /**
     * Annotation that releases node states without waiting for their agent, for a node that will never return:
     * {@code "true"} on a VirtualTopology, DpdkBridge or TrafficTest releases every one of its states once it is being
     * deleted; on a NetworkNodeState being deleted, that state alone. What the agent built stays on that node (its
     * orphan sweep removes it should the agent ever start there again).
     */
    public static final String FORCE_RELEASE_ANNOTATION = GROUP + "/force-release";

    /** Every kernel interface the agent creates carries an ifalias starting with this mark. */
    public static final String IFALIAS_MARK = "nfvlab:";
    /** OVS external_ids key carrying the owner token on bridges and ports the agent creates. */
    public static final String OVS_OWNER_KEY = "nfvlab-owner";
    /** Prefix of every network namespace the agent creates. */
    public static final String NETNS_PREFIX = "nfv-";

    /**
     * Key under which an agent that can run container hosts says so, with the runtime's name (podman) as the value: an
     * annotation on its own Lease (the agent writes nothing on its Node), which placement reads among the node's
     * labels ({@link io.nfvlab.api.plan.AgentNode#of}).
     */
    public static final String CONTAINER_RUNTIME_LABEL = GROUP + "/container-runtime";
    /**
     * The {@link #CONTAINER_RUNTIME_LABEL} value of an agent on a cluster node: container hosts there are Pods the
     * operator creates (the kubelet runs them) and the agent finds their network namespaces through nfvlab's CNI
     * executable, which the kubelet calls for their sandboxes.
     */
    public static final String KUBELET_RUNTIME = "kubelet";
    /** Labels of a Pod the operator creates for a container host: its topology and its host name. */
    public static final String TOPOLOGY_LABEL = GROUP + "/topology";
    public static final String HOST_LABEL = GROUP + "/host";
    /**
     * Annotation on an agent's own Lease with the underlay address VXLAN tunnels to its node use (default: the Node's
     * InternalIP). On the Lease, not the Node: the agent may write only its Lease, and the address goes with it.
     */
    public static final String UNDERLAY_ANNOTATION = GROUP + "/underlay-ip";
    /**
     * Each agent renews a Lease named this prefix + node name, in the nfvlab namespace, every few seconds; the
     * operator places work only on nodes whose agent Lease is live.
     */
    public static final String AGENT_LEASE_PREFIX = "nfvlab-agent-";
    public static final String DEFAULT_SYSTEM_NAMESPACE = "nfvlab-system";

    private Nfvlab() {
    }
}
