package io.nfvlab.runtime;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

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

    /** A client of {@code config} on the JDK's HTTP client. */
    public static KubernetesClient client(Config config) {
        // two HTTP client factories are on the class path: pick one instead of letting the service loader guess
        return new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory()).withConfig(config).build();
    }
}
