package io.nfvlab.runtime;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ClientsTest {

    @Test
    void aPlainHttpServerIsSpokenToInHttp11AndATlsOneAsConfigured() {
        try (KubernetesClient plain = Clients.client(new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:1").build());
             KubernetesClient tls = Clients.client(new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1").build())) {
            assertThat(plain.getConfiguration().isHttp2Disable()).isTrue();
            assertThat(tls.getConfiguration().isHttp2Disable()).isFalse();
        }
    }

    @Test
    void closingAClientEndsItsHttpSelectorThreadBeforeReturning() {
        // a JVM exiting while that thread still sits in epoll_wait waits 300 ms for it (bench/startup/README.md)
        assumeTrue(StoppingJdkHttpClientFactory.stopsSelectorThreads(), "HttpClient.shutdownNow() needs Java 21 or later");
        Set<Thread> before = selectorThreads();
        KubernetesClient client = Clients.client(new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:1").build());
        Set<Thread> started = selectorThreads();
        started.removeAll(before);
        assertThat(started).isNotEmpty();

        client.close();

        assertThat(started).noneMatch(Thread::isAlive);
    }

    private static Set<Thread> selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().endsWith("-SelectorManager"))
                .collect(Collectors.toCollection(HashSet::new));
    }
}
