package io.nfvlab.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.profile.LinkProfile;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.operator.controller.Events;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.stream.Stream;

/**
 * The operator's refusal to start without its CRDs: one line naming the missing ones and how to install them, and a
 * Warning event on the operator's own Pod (where {@code kubectl describe pod} shows it), instead of the SDK's stack
 * trace on every restart.
 */
final class MissingCrds {
    static final String REASON = "CrdsMissing";
    private static final Logger LOG = LoggerFactory.getLogger(MissingCrds.class);

    private MissingCrds() {
    }

    /** The nfvlab CRDs the cluster lacks; empty when all are there, or when this account may not read CRDs. */
    static List<String> of(KubernetesClient client) {
        return Stream.of(VirtualTopology.class, TrafficTest.class, DpdkBridge.class, NetworkNodeState.class, LinkProfile.class)
                .map(HasMetadata::getFullResourceName)
                .filter(name -> {
                    try {
                        return client.apiextensions().v1().customResourceDefinitions().withName(name).get() == null;
                    } catch (KubernetesClientException e) {
                        if (e.getCode() == 403) {
                            LOG.debug("may not read CRD {}: the SDK's own check decides", name);
                            return false;
                        }
                        throw e;
                    }
                })
                .toList();
    }

    static String line(List<String> missing) {
        return "the CRDs " + String.join(", ", missing) + " are not installed in this cluster; install them first "
                + "(helm install and nfvlab install --apply do, or kubectl apply -f charts/nfvlab/crds/), then restart the operator";
    }

    /** The event on the operator's Pod, when it runs in one ({@code HOSTNAME} and {@code POD_NAMESPACE} set). */
    static void recordOnPod(KubernetesClient client, String podName, String podNamespace, String line) {
        if (podName == null || podName.isBlank() || podNamespace == null || podNamespace.isBlank()) {
            return;
        }
        new Events(client, "nfvlab-operator").warning(new PodBuilder().withNewMetadata().withName(podName).withNamespace(podNamespace)
                .endMetadata().build(), REASON, line);
    }
}
