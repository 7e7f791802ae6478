package io.nfvlab.apiserver;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.topology.VirtualTopologyStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedApiServerTest {

    @Test
    void storesTopologiesAndTheirStatusSubresource() {
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            var client = server.newClient();
            VirtualTopology vt = new VirtualTopology();
            vt.setMetadata(new ObjectMetaBuilder().withName("lin").withNamespace("default").build());
            vt.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("linear").k(4).build()).build());
            VirtualTopology created = client.resource(vt).create();
            assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

            created.setStatus(VirtualTopologyStatus.builder().hosts("4/4")
                    .conditions(Conditions.set(null, Conditions.READY, true, "Realized", "", 1L)).build());
            client.resource(created).updateStatus();

            VirtualTopology read = client.resources(VirtualTopology.class).inNamespace("default").withName("lin").get();
            assertThat(read.getStatus().getHosts()).isEqualTo("4/4");
            assertThat(Conditions.isTrue(read.getStatus().getConditions(), Conditions.READY)).isTrue();
            assertThat(read.getSpec().getTopology().getK()).isEqualTo(4);
            client.close();
        }
    }

    @Test
    void aJsonPatchThatDoesNotFitIsRefusedAtOnceAsARealServerDoes() {
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            var client = server.newClient();
            VirtualTopology vt = new VirtualTopology();
            vt.setMetadata(new ObjectMetaBuilder().withName("p").withNamespace("default").build());
            vt.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("minimal").build()).build());
            client.resource(vt).create();
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.resources(VirtualTopology.class).inNamespace("default").withName("p")
                    .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"/spec/ipBase\",\"value\":\"10.1.0.0/16\"},"
                            + "{\"op\":\"replace\",\"path\":\"/spec/nothere/x\",\"value\":1}]"))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            // the server still answers afterwards, and the refused patch changed nothing
            assertThat(client.resources(VirtualTopology.class).inNamespace("default").withName("p").get().getSpec().getIpBase())
                    .isNotEqualTo("10.1.0.0/16");
            client.close();
        }
    }
}
