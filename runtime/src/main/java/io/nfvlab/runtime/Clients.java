package io.nfvlab.runtime;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.StandardHttpClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How every nfvlab process (operator, agent, CLI, embedded server) reaches an API server. */
public final class Clients {
    private Clients() {
    }

    /**
     * The configuration of {@code kubeconfig} (or, when null, of $KUBECONFIG, ~/.kube/config or the in-cluster service
     * account), with {@code context} selected when given.
     */
    public static Config config(Path kubeconfig, String context) throws IOException {
        if (kubeconfig == null) {
            return Config.autoConfigure(context);
        }
        return Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
    }

    /**
     * A client of {@code config} on the JDK's HTTP client. A server on plain {@code http://} (the in-process one of
     * `nfvlab run` and the tests; a real API server is always TLS) is spoken to in HTTP/1.1 only, as kubectl does:
     * the JDK client otherwise offers an {@code h2c} upgrade on such a connection, and under load a large request body
     * sent through that upgrade could get no answer at all, hanging the caller past every timeout.
     */
    public static KubernetesClient client(Config config) {
        return client(config, null);
    }

    /**
     * As {@link #client(Config)}, reading and writing JSON with {@code serialization} when not null. Clients in one
     * process that share one serialization build Jackson's serializers and deserializers for each resource class
     * once instead of once per client: that construction was about a fifth of `nfvlab run`'s CPU with four clients.
     */
    public static KubernetesClient client(Config config, KubernetesSerialization serialization) {
        return client(config, serialization, new StoppingJdkHttpClientFactory());
    }

    /**
     * As {@link #client(Config, KubernetesSerialization)}, on the transport of {@code httpClientFactory} (the
     * in-process API server's own, for clients in its JVM).
     */
    public static KubernetesClient client(Config config, KubernetesSerialization serialization,
            HttpClient.Factory httpClientFactory) {
        Config used = isPlainHttp(config) && !config.isHttp2Disable()
                ? new ConfigBuilder(config).withHttp2Disable(true).build() : config;
        // two HTTP client factories are on the class path: pick one instead of letting the service loader guess; this
        // one's clients stop their selector thread when closed, which a JVM's exit would otherwise wait 0.3 s for
        KubernetesClientBuilder builder = new KubernetesClientBuilder().withHttpClientFactory(httpClientFactory)
                .withConfig(used);
        if (serialization != null) {
            builder.withKubernetesSerialization(serialization);
        }
        return builder.build();
    }

    /**
     * A client like {@code client} (its server, credentials, JSON mapping and transport: HTTP, or the in-process API
     * server's own) that gives up on a failed request at once instead of retrying with backoff.
     */
    public static KubernetesClient withoutRetries(KubernetesClient client) {
        Config config = new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build();
        return client(config, client.getKubernetesSerialization(), transportOf(client));
    }

    /** The factory behind {@code client}'s HTTP client; fabric8's own clients all derive from a standard builder. */
    static HttpClient.Factory transportOf(KubernetesClient client) {
        if (client.getHttpClient().newBuilder() instanceof StandardHttpClientBuilder<?, ?, ?> builder
                && builder.getClientFactory() != null) {
            return builder.getClientFactory();
        }
        return new StoppingJdkHttpClientFactory();
    }

    static boolean isPlainHttp(Config config) {
        String url = config.getMasterUrl();
        return url != null && url.regionMatches(true, 0, "http://", 0, 7);
    }
}
