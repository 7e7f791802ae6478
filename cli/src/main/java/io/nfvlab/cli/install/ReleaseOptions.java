package io.nfvlab.cli.install;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.cli.CliException;
import io.nfvlab.cli.Errors;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code install} and {@code uninstall} render: release name and namespace, values as for helm. */
public class ReleaseOptions {
    @Option(names = "--release", paramLabel = "NAME", defaultValue = "nfvlab", description = "Release name (default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--system-namespace", paramLabel = "NS", defaultValue = Nfvlab.DEFAULT_SYSTEM_NAMESPACE,
            description = "Namespace of the operator and agents (default ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A chart value, as helm --set (repeatable).")
    Map<String, String> values = new LinkedHashMap<>();

    @Option(names = {"-f", "--values"}, paramLabel = "FILE", description = "A values file, as helm -f (repeatable).")
    List<Path> valuesFiles = new ArrayList<>();

    @Option(names = "--kube-version", paramLabel = "VERSION", defaultValue = Manifests.DEFAULT_KUBE_VERSION,
            description = "Kubernetes version to render for (default ${DEFAULT-VALUE}).")
    String kubeVersion;

    Manifests render() {
        for (Path file : valuesFiles) {
            if (!java.nio.file.Files.isReadable(file)) {
                throw CliException.usage("values file " + file + " cannot be read");
            }
        }
        return Manifests.render(name, namespace, values, valuesFiles, kubeVersion);
    }

    /** One line for an API error: unreachable, unauthorized, forbidden or refused. */
    static CliException clusterError(String what, KubernetesClientException e) {
        Throwable io = e;
        while (io != null && !(io instanceof java.io.IOException)) {
            io = io.getCause();
        }
        if (io != null && e.getCode() <= 0) {
            return CliException.failure("cannot " + what + ": the cluster is unreachable (" + Errors.flatten(String.valueOf(io.getMessage())) + ")");
        }
        String why = switch (e.getCode()) {
            case 401 -> "the cluster refused the credentials of the kubeconfig (401 Unauthorized)";
            case 403 -> "not permitted (403 Forbidden): " + Errors.flatten(e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
            default -> Errors.flatten(e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage());
        };
        return CliException.failure("cannot " + what + ": " + why);
    }
}
