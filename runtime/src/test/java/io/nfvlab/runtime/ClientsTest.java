package io.nfvlab.runtime;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientsTest {

    @Test
    void aPlainHttpServerIsSpokenToInHttp11AndATlsOneAsConfigured() {
        try (KubernetesClient plain = Clients.client(new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:1").build());
             KubernetesClient tls = Clients.client(new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1").build())) {
            assertThat(plain.getConfiguration().isHttp2Disable()).isTrue();
            assertThat(tls.getConfiguration().isHttp2Disable()).isFalse();
        }
    }
}
