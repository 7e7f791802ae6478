package io.nfvlab.operator.topology;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.expansion.TopologyGraph;
import io.nfvlab.api.plan.AgentNode;
import io.nfvlab.api.plan.PlacementException;
import io.nfvlab.api.topology.VirtualTopology;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Pods of a topology's container hosts on cluster nodes (agents that publish the runtime
 * {@value Nfvlab#KUBELET_RUNTIME}): created for templated hosts where placement put them ({@link PodHostPod}), replaced
 * when their template or node changes, deleted when their host leaves the topology and with the topology. Referenced
 * pods (podRef) are only read, for the node they run on; nfvlab never changes or deletes them. Needs pods get, list,
 * create and delete; no watch: the topology is re-checked while not Ready, and the agents' reports wake it.
 */
final class PodHosts {
    static final String POD_NOT_FOUND = "PodNotFound";
    static final String POD_NOT_SCHEDULED = "PodNotScheduled";

    private final KubernetesClient client;
    private final String network;
    private final boolean enabled;

    /** Why a topology with a pod host cannot be placed where the operator does not make Pods. */
    static final String POD_HOSTS_DISABLED = "PodHostsDisabled";

    /**
     * @param network the pod-hosts NetworkAttachmentDefinition, "namespace/name"
     * @param enabled false: the operator has no rights on Pods, and no Pod is ever read, listed, created or deleted
     */
    PodHosts(KubernetesClient client, String network, boolean enabled) {
        this.client = client;
        this.network = network;
        this.enabled = enabled;
    }

    /** Where each referenced pod runs (pod.spec.nodeName): those hosts are placed there and nowhere else. */
    Map<String, String> referencedPodNodes(VirtualTopology topology, TopologyGraph graph) {
        if (!enabled) {
            graph.hosts().stream().filter(h -> h.isPod() && h.pod().getPodRef() != null).findFirst().ifPresent(h -> {
                throw new PlacementException(POD_HOSTS_DISABLED, "host " + h.name() + " refers to pod " + h.pod().getPodRef()
                        + ", and this operator reads no Pods (installed with podHosts.enabled=false, or `nfvlab run`)");
            });
            return Map.of();
        }
        Map<String, String> pins = new LinkedHashMap<>();
        String namespace = topology.getMetadata().getNamespace();
        for (TopologyGraph.Host h : graph.hosts()) {
            if (!h.isPod() || h.pod().getPodRef() == null) {
                continue;
            }
            Pod pod = client.pods().inNamespace(namespace).withName(h.pod().getPodRef()).get();
            if (pod == null) {
                throw new PlacementException(POD_NOT_FOUND, "host " + h.name() + ": pod " + h.pod().getPodRef()
                        + " (podRef) does not exist in namespace " + namespace);
            }
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            if (node == null || node.isEmpty()) {
                throw new PlacementException(POD_NOT_SCHEDULED, "host " + h.name() + ": pod " + h.pod().getPodRef()
                        + " (podRef) is not scheduled to a node yet");
            }
            pins.put(h.name(), node);
        }
        return pins;
    }

    /** The Pods this topology should have, by name: templated hosts placed on nodes whose container hosts are pods. */
    Map<String, Pod> desired(VirtualTopology topology, String token, TopologyGraph graph, Map<String, String> placement,
                             Map<String, AgentNode> nodes) {
        Map<String, Pod> out = new LinkedHashMap<>();
        if (!enabled) {
            // no agent runs pod hosts where the operator makes no Pods: templated hosts are the agents' containers
            return out;
        }
        for (TopologyGraph.Host h : graph.hosts()) {
            if (!h.isPod() || h.pod().getTemplate() == null) {
                continue;
            }
            String node = placement.get(h.name());
            AgentNode agent = nodes.get(node);
            if (agent != null && Nfvlab.KUBELET_RUNTIME.equals(agent.labels().get(Nfvlab.CONTAINER_RUNTIME_LABEL))) {
                Pod pod = PodHostPod.render(topology, token, h.name(), h.pod().getTemplate(), node, network);
                out.put(pod.getMetadata().getName(), pod);
            }
        }
        return out;
    }

    /** Creates the missing Pods, deletes the changed (recreated at a later reconcile, once gone) and the unwanted. */
    void ensure(VirtualTopology topology, Map<String, Pod> desired) {
        if (!enabled) {
            return;
        }
        Map<String, Pod> existing = new LinkedHashMap<>();
        owned(topology).forEach(p -> existing.put(p.getMetadata().getName(), p));
        String namespace = topology.getMetadata().getNamespace();
        existing.forEach((name, pod) -> {
            Pod want = desired.get(name);
            if (want == null || !Objects.equals(annotation(want), annotation(pod))) {
                client.pods().inNamespace(namespace).withName(name).delete();
            }
        });
        desired.forEach((name, pod) -> {
            if (!existing.containsKey(name)) {
                try {
                    client.pods().inNamespace(namespace).resource(pod).create();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) { // a Pod of that name still terminating: the next reconcile creates it
                        throw e;
                    }
                }
            }
        });
    }

    /** Deletes every Pod this topology owns (the garbage collector would too; the in-process server has none). */
    int deleteAll(VirtualTopology topology) {
        if (!enabled) {
            return 0;
        }
        List<Pod> pods = owned(topology);
        pods.forEach(p -> client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete());
        return pods.size();
    }

    /** Pods labelled for this topology whose controller is this very topology (a label alone is anyone's to write). */
    private List<Pod> owned(VirtualTopology topology) {
        String uid = topology.getMetadata().getUid();
        return client.pods().inNamespace(topology.getMetadata().getNamespace())
                .withLabel(Nfvlab.TOPOLOGY_LABEL, topology.getMetadata().getName()).list().getItems().stream()
                .filter(p -> p.getMetadata().getOwnerReferences() != null && p.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> Boolean.TRUE.equals(o.getController()) && Objects.equals(uid, o.getUid())))
                .toList();
    }

    private static String annotation(Pod p) {
        return p.getMetadata().getAnnotations() == null ? null : p.getMetadata().getAnnotations().get(PodHostPod.SPEC_ANNOTATION);
    }
}
