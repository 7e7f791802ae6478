package io.nfvlab.apiserver;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.bridge.DpdkBridgeSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server finds one object by resource, namespace and name from an index rather than by testing every stored
 * object: what it answers must not change — the right object among many with similar names, none once deleted, a
 * conflict on a second create, the newest state after updates, namespaced and cluster-scoped objects apart.
 */
class StoreLookupTest {

    private static ConfigMap map(String namespace, String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withData(Map.of("v", value)).build();
    }

    @Test
    void oneObjectIsFoundByNamespaceAndNameAmongMany() {
        try (EmbeddedApiServer server = EmbeddedApiServer.start(); KubernetesClient client = server.newClient()) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName("other").endMetadata().build()).create();
            for (int i = 0; i < 200; i++) {
                client.resource(map("default", "cm-" + i, "d" + i)).create();
                client.resource(map("other", "cm-" + i, "o" + i)).create();
            }

            assertThat(client.configMaps().inNamespace("default").withName("cm-17").get().getData()).containsEntry("v", "d17");
            assertThat(client.configMaps().inNamespace("other").withName("cm-17").get().getData()).containsEntry("v", "o17");
            assertThat(client.configMaps().inNamespace("default").withName("cm-1").get().getData()).containsEntry("v", "d1");
            assertThat(client.configMaps().inNamespace("default").withName("cm-200").get()).isNull();
            assertThat(client.configMaps().inNamespace("default").list().getItems()).hasSize(200);
        }
    }

    @Test
    void createsConflictUpdatesAreReadBackAndDeletesAreGone() {
        try (EmbeddedApiServer server = EmbeddedApiServer.start(); KubernetesClient client = server.newClient()) {
            client.resource(map("default", "a", "1")).create();
            assertThatThrownBy(() -> client.resource(map("default", "a", "2")).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

            client.configMaps().inNamespace("default").withName("a").edit(c -> {
                c.getData().put("v", "3");
                return c;
            });
            assertThat(client.configMaps().inNamespace("default").withName("a").get().getData()).containsEntry("v", "3");

            client.configMaps().inNamespace("default").withName("a").delete();
            assertThat(client.configMaps().inNamespace("default").withName("a").get()).isNull();
            client.resource(map("default", "a", "4")).create();
            assertThat(client.configMaps().inNamespace("default").withName("a").get().getData()).containsEntry("v", "4");
        }
    }

    @Test
    void clusterScopedCustomResourcesAreFoundAndGoneAfterDelete() {
        try (EmbeddedApiServer server = EmbeddedApiServer.start(); KubernetesClient client = server.newClient()) {
            DpdkBridge bridge = new DpdkBridge();
            bridge.setMetadata(new ObjectMetaBuilder().withName("lab").build());
            bridge.setSpec(DpdkBridgeSpec.builder().bridgeName("br-lab").build());
            client.resource(bridge).create();

            assertThat(client.resources(DpdkBridge.class).withName("lab").get().getSpec().getBridgeName()).isEqualTo("br-lab");
            client.resources(DpdkBridge.class).withName("lab").delete();
            assertThat(client.resources(DpdkBridge.class).withName("lab").get()).isNull();
        }
    }

    @Test
    void aNamespacesObjectsAreListedByLabelWithTheNewestStateAndVersion() {
        try (EmbeddedApiServer server = EmbeddedApiServer.start(); KubernetesClient client = server.newClient()) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName("other").endMetadata().build()).create();
            for (int i = 0; i < 50; i++) {
                ConfigMap cm = map("default", "cm-" + i, "d" + i);
                cm.getMetadata().setLabels(Map.of("parity", i % 2 == 0 ? "even" : "odd"));
                client.resource(cm).create();
                client.resource(map("other", "cm-" + i, "o" + i)).create();
            }
            client.configMaps().inNamespace("default").withName("cm-4").edit(c -> {
                c.getData().put("v", "changed");
                return c;
            });
            client.configMaps().inNamespace("default").withName("cm-6").delete();

            var even = client.configMaps().inNamespace("default").withLabel("parity", "even").list();
            assertThat(even.getItems()).hasSize(24).allSatisfy(c -> assertThat(c.getMetadata().getLabels()).containsEntry("parity", "even"));
            assertThat(even.getItems()).filteredOn(c -> c.getMetadata().getName().equals("cm-4"))
                    .singleElement().satisfies(c -> assertThat(c.getData()).containsEntry("v", "changed"));
            long newest = even.getItems().stream().mapToLong(c -> Long.parseLong(c.getMetadata().getResourceVersion())).max().orElseThrow();
            assertThat(Long.parseLong(even.getMetadata().getResourceVersion())).isGreaterThanOrEqualTo(newest);
            assertThat(client.configMaps().inNamespace("default").list().getItems()).hasSize(49);
            assertThat(client.configMaps().inNamespace("nowhere").list().getItems()).isEmpty();
            assertThat(client.configMaps().inNamespace("other").withLabel("parity").list().getItems()).isEmpty();
        }
    }
}
