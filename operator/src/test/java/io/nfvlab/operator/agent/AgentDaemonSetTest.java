package io.nfvlab.operator.agent;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.OperatorConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AgentDaemonSetTest {

    @Test
    void desiredDaemonSetIsPrivilegedOnTheHostNetworkWithTheAgentsHostMounts() {
        Toleration all = new TolerationBuilder().withOperator("Exists").build();
        DaemonSet ds = AgentDaemonSet.desired(OperatorConfig.builder().agentImage("example/agent:1")
                .agentNodeSelector("nfvlab.io/lab", "true").agentTolerations(List.of(all)).build());
        var pod = ds.getSpec().getTemplate().getSpec();
        Container agent = pod.getContainers().get(0);
        assertThat(ds.getMetadata().getNamespace()).isEqualTo(Nfvlab.DEFAULT_SYSTEM_NAMESPACE);
        assertThat(agent.getImage()).isEqualTo("example/agent:1");
        assertThat(agent.getSecurityContext().getPrivileged()).isTrue();
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getNodeSelector()).containsEntry("nfvlab.io/lab", "true");
        assertThat(pod.getTolerations()).containsExactly(all);
        assertThat(agent.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/var/run/netns");
            assertThat(m.getMountPropagation()).isEqualTo("Bidirectional");
        });
        assertThat(agent.getVolumeMounts()).extracting(m -> m.getMountPath())
                .contains("/var/run/openvswitch", "/dev/hugepages", "/etc/cni/net.d", "/opt/cni/bin", "/var/lib/cni", "/run/nfvlab");
        assertThat(agent.getEnv()).anySatisfy(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName"));
    }

    @Test
    void theOperatorCreatesTheDaemonSetAndRecreatesItWhenDeleted() {
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            KubernetesClient admin = server.client();
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(Nfvlab.DEFAULT_SYSTEM_NAMESPACE)
                    .addToLabels(AgentDaemonSetReconciler.NAMESPACE_NAME_LABEL, Nfvlab.DEFAULT_SYSTEM_NAMESPACE).endMetadata().build()).create();
            // embedded mode only for the patch style; the mock has no kubelet, so the pods never run
            OperatorConfig config = OperatorConfig.embeddedDefaults().toBuilder().manageAgentDaemonSet(true).agentImage("example/agent:2").build();
            try (NfvlabOperator operator = NfvlabOperator.start(server.newClient(), config)) {
                var daemonSets = admin.apps().daemonSets().inNamespace(Nfvlab.DEFAULT_SYSTEM_NAMESPACE).withName(AgentDaemonSet.NAME);
                await().atMost(Duration.ofSeconds(20)).until(() -> daemonSets.get() != null);
                DaemonSet ds = daemonSets.get();
                assertThat(ds.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("example/agent:2");
                assertThat(ds.getMetadata().getOwnerReferences()).singleElement()
                        .satisfies(o -> assertThat(o.getKind()).isEqualTo("Namespace"));

                daemonSets.delete();
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    DaemonSet again = daemonSets.get();
                    return again != null && again.getMetadata().getDeletionTimestamp() == null
                            && !again.getMetadata().getUid().equals(ds.getMetadata().getUid());
                });
            }
        }
    }
}
