package io.nfvlab.operator.topology;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.common.Hashes;
import io.nfvlab.api.plan.PodHostNames;
import io.nfvlab.api.topology.PodTemplate;
import io.nfvlab.api.topology.VirtualTopology;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Pod of a templated container host on a cluster node, pure. Owned by its VirtualTopology (controller owner
 * reference: the cluster's garbage collector deletes it with the topology); labelled {@value Nfvlab#TOPOLOGY_LABEL} and
 * {@value Nfvlab#HOST_LABEL}; pinned with {@code spec.nodeName} to the node placement chose (no scheduler decision
 * can move it away from the links planned there); attached to nfvlab's pod-hosts network through Multus's
 * {@value #NETWORKS_ANNOTATION} annotation, so the kubelet's CNI ADD for its sandbox reaches nfvlab's agent. The
 * container gets exactly the template's security context (privileged, added capabilities) and the pod its network
 * sysctls; no service account token is mounted (the host's software has no business with the API server).
 */
public final class PodHostPod {
    /** Multus: the secondary networks of a pod, "namespace/name" of NetworkAttachmentDefinitions. */
    public static final String NETWORKS_ANNOTATION = "k8s.v1.cni.cncf.io/networks";
    /** A hash of what the Pod was rendered from: a changed template replaces the Pod (a Pod's spec is immutable). */
    public static final String SPEC_ANNOTATION = Nfvlab.GROUP + "/spec";
    /** The NetworkAttachmentDefinition the chart installs in the release namespace. */
    public static final String NETWORK_NAME = "nfvlab-hosts";
    static final String CONTAINER_NAME = "host";

    private PodHostPod() {
    }

    /**
     * @param network the NetworkAttachmentDefinition, "namespace/name" (the chart's: release namespace/{@value #NETWORK_NAME})
     */
    public static Pod render(VirtualTopology topology, String token, String host, PodTemplate t, String node, String network) {
        String name = PodHostNames.podName(topology.getMetadata().getName(), token, host);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Nfvlab.TOPOLOGY_LABEL, topology.getMetadata().getName());
        labels.put(Nfvlab.HOST_LABEL, host);
        labels.put("app.kubernetes.io/managed-by", "nfvlab");
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(NETWORKS_ANNOTATION, network);
        annotations.put(SPEC_ANNOTATION, specHash(t, node, network));
        List<EnvVar> env = t.envOrEmpty().stream().map(e -> new EnvVar(e.getName(), e.getValue() == null ? "" : e.getValue(), null)).toList();
        List<Sysctl> sysctls = t.sysctlsOrEmpty().stream().map(e -> new Sysctl(e.getName(), e.getValue())).toList();
        return new PodBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(topology.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withAnnotations(annotations)
                    .withOwnerReferences(new OwnerReferenceBuilder()
                            .withApiVersion(topology.getApiVersion() != null ? topology.getApiVersion() : Nfvlab.GROUP + "/" + Nfvlab.VERSION)
                            .withKind(VirtualTopologyReconciler.KIND)
                            .withName(topology.getMetadata().getName())
                            .withUid(topology.getMetadata().getUid())
                            .withController(true)
                            .withBlockOwnerDeletion(true)
                            .build())
                .endMetadata()
                .withNewSpec()
                    .withNodeName(node)
                    .withRestartPolicy("Always")
                    .withAutomountServiceAccountToken(false)
                    .withEnableServiceLinks(false)
                    .withTerminationGracePeriodSeconds(5L)
                    .withNewSecurityContext().withSysctls(sysctls).endSecurityContext()
                    .withContainers(new ContainerBuilder()
                            .withName(CONTAINER_NAME)
                            .withImage(t.getImage())
                            // nfvlab never pulls on one machine; on a cluster a present image is used as it is
                            .withImagePullPolicy("IfNotPresent")
                            .withCommand(t.commandOrEmpty())
                            .withArgs(t.argsOrEmpty())
                            .withEnv(env)
                            .withSecurityContext(new SecurityContextBuilder()
                                    .withPrivileged(Boolean.TRUE.equals(t.getPrivileged()) ? Boolean.TRUE : null)
                                    .withCapabilities(t.capabilitiesOrEmpty().isEmpty() ? null
                                            : new Capabilities(t.capabilitiesOrEmpty(), List.of()))
                                    .build())
                            .build())
                .endSpec()
                .build();
    }

    static String specHash(PodTemplate t, String node, String network) {
        return Hashes.sha256Hex(t + "|" + node + "|" + network).substring(0, 16);
    }
}
