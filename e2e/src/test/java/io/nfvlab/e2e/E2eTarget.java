package io.nfvlab.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Which cluster the e2e scenario runs against, in this order:
 * <ol>
 *   <li>the cluster of the kubeconfig given by {@code -Dnfvlab.e2e.kubeconfig=FILE} or {@code $NFVLAB_E2E_KUBECONFIG}
 *       (asked for explicitly: an unreadable file is an error, not a skip);</li>
 *   <li>k3s in a container through Testcontainers, when a Docker-compatible engine answers and already holds the k3s
 *       image ({@code -Dnfvlab.e2e.k3sImage}, default {@link #DEFAULT_K3S_IMAGE}; nothing is pulled: a machine
 *       without a registry must say so, not hang);</li>
 *   <li>none: the scenario is skipped with {@link #reason()}.</li>
 * </ol>
 */
record E2eTarget(Kind kind, Path kubeconfig, String k3sImage, String reason) {
    enum Kind { KUBECONFIG, K3S, NONE }

    static final String KUBECONFIG_PROPERTY = "nfvlab.e2e.kubeconfig";
    static final String KUBECONFIG_ENV = "NFVLAB_E2E_KUBECONFIG";
    static final String K3S_IMAGE_PROPERTY = "nfvlab.e2e.k3sImage";
    static final String DEFAULT_K3S_IMAGE = "rancher/k3s:v1.30.6-k3s1";

    /** What Testcontainers can tell about the local engine. */
    interface Engine {
        /** Null when a Docker-compatible engine answers; otherwise why not. */
        String unavailable();

        boolean hasImage(String image);
    }

    /**
     * @param property system properties ({@code System::getProperty}); empty values count as unset, since Maven passes
     *                 an unset property through as ""
     * @param env      environment ({@code System::getenv})
     */
    static E2eTarget choose(UnaryOperator<String> property, UnaryOperator<String> env, Engine engine) {
        String given = firstSet(property.apply(KUBECONFIG_PROPERTY), env.apply(KUBECONFIG_ENV));
        if (given != null) {
            Path file = Path.of(given);
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException(KUBECONFIG_PROPERTY + "/" + KUBECONFIG_ENV + ": " + file + " is not a readable file");
            }
            return new E2eTarget(Kind.KUBECONFIG, file, null, null);
        }
        String image = firstSet(property.apply(K3S_IMAGE_PROPERTY), DEFAULT_K3S_IMAGE);
        String noEngine = engine.unavailable();
        if (noEngine != null) {
            return new E2eTarget(Kind.NONE, null, null, "skipped: no cluster given (-D" + KUBECONFIG_PROPERTY + "=FILE or $"
                    + KUBECONFIG_ENV + ") and no Docker-compatible engine for k3s (" + noEngine + ")");
        }
        if (!engine.hasImage(image)) {
            return new E2eTarget(Kind.NONE, null, null, "skipped: no cluster given (-D" + KUBECONFIG_PROPERTY + "=FILE or $"
                    + KUBECONFIG_ENV + "), and the container engine has no image " + image + " for k3s (pull or load it, or name "
                    + "another with -D" + K3S_IMAGE_PROPERTY + "=IMAGE)");
        }
        return new E2eTarget(Kind.K3S, null, image, null);
    }

    private static String firstSet(String a, String b) {
        return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
    }
}
