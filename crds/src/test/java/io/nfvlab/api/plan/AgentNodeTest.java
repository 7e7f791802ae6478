package io.nfvlab.api.plan;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.nfvlab.api.Nfvlab;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AgentNodeTest {
    private static final Node NODE = new NodeBuilder().withNewMetadata().withName("worker-1")
            .addToLabels("zone", "z1")
            // what an earlier agent wrote on its Node: no longer read by anything
            .addToAnnotations(Nfvlab.UNDERLAY_ANNOTATION, "10.0.0.99")
            .endMetadata()
            .withNewStatus().addNewAddress().withType("InternalIP").withAddress("10.0.0.1").endAddress().endStatus()
            .build();

    @Test
    void theUnderlayAddressComesFromTheAgentsOwnLease() {
        Lease lease = new LeaseBuilder().withNewMetadata().withName("nfvlab-agent-worker-1")
                .addToAnnotations(Nfvlab.UNDERLAY_ANNOTATION, "192.168.50.1").endMetadata().build();
        AgentNode node = AgentNode.of(NODE, lease);
        assertThat(node.underlayAddress()).isEqualTo("192.168.50.1");
        assertThat(node.name()).isEqualTo("worker-1");
        assertThat(node.labels()).containsEntry("zone", "z1");
    }

    @Test
    void withoutOneOnTheLeaseItIsTheNodesInternalIpNeverAnAnnotationOnTheNode() {
        Lease bare = new LeaseBuilder().withNewMetadata().withName("nfvlab-agent-worker-1").endMetadata().build();
        assertThat(AgentNode.of(NODE, bare).underlayAddress()).isEqualTo("10.0.0.1");
        assertThat(AgentNode.of(NODE, null).underlayAddress()).isEqualTo("10.0.0.1");
    }
}
