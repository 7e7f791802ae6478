package io.nfvlab.agent.cni;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nfvlab.apiserver.EmbeddedApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pod annotation the agent keeps for the plugin, against the in-process API server. */
class PodAnnotationsTest {
    private EmbeddedApiServer api;
    private PodAnnotations annotations;

    @BeforeEach
    void start() {
        api = EmbeddedApiServer.start();
        api.client().pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("vnf-1")
                .addToAnnotations("other", "kept").endMetadata().build()).create();
        annotations = new PodAnnotations(api.newClient());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private String annotation() {
        return api.client().pods().inNamespace("default").withName("vnf-1").get().getMetadata().getAnnotations()
                .get(PodAnnotations.CONFIGURATION_DATA);
    }

    private static Map<String, Object> entry(String ifName, String socket) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ifName", ifName);
        data.put("name", "dpdk-net");
        data.put("socketPath", socket);
        data.put("ipResult", Map.of("ips", List.of(Map.of("address", "10.0.0.2/24"))));
        return data;
    }

    @Test
    void publishThenWithdrawKeepsOneEntryPerInterface() {
        assertThat(annotations.publish("default", "vnf-1", "dpdk-net", "net1", entry("net1", "/run/x/s1"))).isTrue();
        assertThat(annotations.publish("default", "vnf-1", "dpdk-net", "net1", entry("net1", "/run/x/s2"))).isTrue();
        assertThat(annotations.publish("default", "vnf-1", "dpdk-net", "net2", entry("net2", "/run/x/s3"))).isTrue();
        assertThat(annotation()).isEqualTo("[{\"ifName\":\"net1\",\"name\":\"dpdk-net\",\"socketPath\":\"/run/x/s2\","
                + "\"ipResult\":{\"ips\":[{\"address\":\"10.0.0.2/24\"}]}},{\"ifName\":\"net2\",\"name\":\"dpdk-net\","
                + "\"socketPath\":\"/run/x/s3\",\"ipResult\":{\"ips\":[{\"address\":\"10.0.0.2/24\"}]}}]");
        annotations.withdraw("default", "vnf-1", "dpdk-net", "net1");
        annotations.withdraw("default", "vnf-1", "dpdk-net", "net2");
        assertThat(annotation()).isNull();
        assertThat(api.client().pods().inNamespace("default").withName("vnf-1").get().getMetadata().getAnnotations())
                .containsEntry("other", "kept");
    }

    @Test
    void aPodThatIsGoneIsReportedNotThrown() {
        assertThat(annotations.publish("default", "ghost", "dpdk-net", "net1", entry("net1", "/run/x/s1"))).isFalse();
        annotations.withdraw("default", "ghost", "dpdk-net", "net1");
    }
}
