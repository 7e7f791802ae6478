package io.nfvlab.cli.run;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.apiserver.EmbeddedApiServer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EarlyWritesTest {

    @Test
    void writesEachTopologyAndKeepsWhenAndAsWhatItWasCreated() {
        try (EmbeddedApiServer server = EmbeddedApiServer.inProcess(); KubernetesClient client = clientOf(server)) {
            VirtualTopology a = topology("a", 2);
            VirtualTopology b = topology("b", 3);
            long before = System.nanoTime();
            EarlyWrites early = new EarlyWrites(List.of(), List.of(a, b), "default");

            early.accept(client);

            early.rethrowFailure();
            assertThat(early.written(a).created().getMetadata().getGeneration()).isEqualTo(1L);
            assertThat(early.written(b).created().getSpec().getTopology().getK()).isEqualTo(3);
            assertThat(early.written(a).writtenAt()).isBetween(before, System.nanoTime());
            assertThat(client.resources(VirtualTopology.class).inNamespace("default").list().getItems()).hasSize(2);
        }
    }

    @Test
    void aRefusedWriteIsKeptForTheRunToReportAndWhatCameBeforeItStaysWritten() {
        try (EmbeddedApiServer server = EmbeddedApiServer.inProcess(); KubernetesClient client = clientOf(server)) {
            VirtualTopology ok = topology("ok", 2);
            VirtualTopology refused = topology("refused", 0);
            VirtualTopology after = topology("after", 2);
            EarlyWrites early = new EarlyWrites(List.of(), List.of(ok, refused, after), "default");

            early.accept(client);

            assertThatThrownBy(early::rethrowFailure).isInstanceOfSatisfying(KubernetesClientException.class,
                    e -> assertThat(e.getCode()).isEqualTo(422));
            assertThat(early.written(ok)).isNotNull();
            assertThat(early.written(refused)).isNull();
            assertThat(early.written(after)).as("nothing is written after a refusal").isNull();
            assertThat(client.resources(VirtualTopology.class).inNamespace("default").list().getItems())
                    .extracting(t -> t.getMetadata().getName()).containsExactly("ok");
        }
    }

    private static KubernetesClient clientOf(EmbeddedApiServer server) {
        server.installCrds();
        return server.newClient();
    }

    private static VirtualTopology topology(String name, int k) {
        VirtualTopology vt = new VirtualTopology();
        vt.setMetadata(new ObjectMetaBuilder().withName(name).build());
        vt.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("linear").k(k).build()).build());
        return vt;
    }
}
