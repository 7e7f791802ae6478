package io.nfvlab.operator.topology;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.topology.PodTemplate;
import io.nfvlab.api.topology.VirtualTopology;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PodHostPodTest {
    private static VirtualTopology topology() {
        VirtualTopology t = new VirtualTopology();
        t.setMetadata(new ObjectMetaBuilder().withName("ospf").withNamespace("lab").withUid("uid-7").build());
        return t;
    }

    private static final PodTemplate FRR = PodTemplate.builder().image("localhost/nfvlab-frr:1")
            .command(List.of("/usr/lib/frr/docker-start")).args(List.of("--debug"))
            .env(List.of(new PodTemplate.EnvEntry("ROLE", "core")))
            .capabilities(List.of("NET_ADMIN", "SYS_ADMIN"))
            .sysctls(List.of(new PodTemplate.EnvEntry("net.ipv4.ip_forward", "1")))
            .build();

    @Test
    void thePodIsOwnedByItsTopologyAsControllerSoTheGarbageCollectorDeletesIt() {
        Pod pod = PodHostPod.render(topology(), "a1b2c", "r1", FRR, "worker-2", "nfvlab-system/nfvlab-hosts");
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("VirtualTopology");
            assertThat(o.getApiVersion()).isEqualTo("nfvlab.io/v1alpha1");
            assertThat(o.getName()).isEqualTo("ospf");
            assertThat(o.getUid()).isEqualTo("uid-7");
            assertThat(o.getController()).isTrue();
            assertThat(o.getBlockOwnerDeletion()).isTrue();
        });
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("lab");
        assertThat(pod.getMetadata().getName()).isEqualTo("ospf-r1");
    }

    @Test
    void thePodIsPinnedToThePlacedNodeLabelledAndOnThePodHostsNetwork() {
        Pod pod = PodHostPod.render(topology(), "a1b2c", "r1", FRR, "worker-2", "nfvlab-system/nfvlab-hosts");
        assertThat(pod.getSpec().getNodeName()).isEqualTo("worker-2");
        assertThat(pod.getMetadata().getLabels()).containsEntry(Nfvlab.TOPOLOGY_LABEL, "ospf").containsEntry(Nfvlab.HOST_LABEL, "r1");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("k8s.v1.cni.cncf.io/networks", "nfvlab-system/nfvlab-hosts");
    }

    @Test
    void theContainerGetsTheTemplateAsGivenAndNoMore() {
        Pod pod = PodHostPod.render(topology(), "a1b2c", "r1", FRR, "worker-2", "nfvlab-system/nfvlab-hosts");
        Container c = pod.getSpec().getContainers().get(0);
        assertThat(pod.getSpec().getContainers()).hasSize(1);
        assertThat(c.getImage()).isEqualTo("localhost/nfvlab-frr:1");
        assertThat(c.getCommand()).containsExactly("/usr/lib/frr/docker-start");
        assertThat(c.getArgs()).containsExactly("--debug");
        assertThat(c.getEnv()).singleElement().satisfies(e -> {
            assertThat(e.getName()).isEqualTo("ROLE");
            assertThat(e.getValue()).isEqualTo("core");
        });
        assertThat(c.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN", "SYS_ADMIN");
        assertThat(c.getSecurityContext().getPrivileged()).as("not privileged unless the template says so").isNull();
        assertThat(pod.getSpec().getSecurityContext().getSysctls()).singleElement()
                .satisfies(s -> assertThat(s.getName() + "=" + s.getValue()).isEqualTo("net.ipv4.ip_forward=1"));
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void aPrivilegedTemplateGivesAPrivilegedContainer() {
        Pod pod = PodHostPod.render(topology(), "a1b2c", "r1", FRR.toBuilder().privileged(true).clearCapabilities().build(),
                "worker-2", "n/x");
        assertThat(pod.getSpec().getContainers().get(0).getSecurityContext().getPrivileged()).isTrue();
        assertThat(pod.getSpec().getContainers().get(0).getSecurityContext().getCapabilities()).isNull();
    }

    @Test
    void aChangedTemplateOrNodeChangesTheSpecAnnotationThatReplacesThePod() {
        String a = PodHostPod.render(topology(), "a1b2c", "r1", FRR, "worker-2", "n/x").getMetadata().getAnnotations().get(PodHostPod.SPEC_ANNOTATION);
        String b = PodHostPod.render(topology(), "a1b2c", "r1", FRR.toBuilder().image("localhost/other:2").build(), "worker-2", "n/x")
                .getMetadata().getAnnotations().get(PodHostPod.SPEC_ANNOTATION);
        String c = PodHostPod.render(topology(), "a1b2c", "r1", FRR, "worker-3", "n/x").getMetadata().getAnnotations().get(PodHostPod.SPEC_ANNOTATION);
        assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
    }
}
