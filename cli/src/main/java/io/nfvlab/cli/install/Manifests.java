package io.nfvlab.cli.install;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.nfvlab.cli.CliException;
import io.nfvlab.cli.Errors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@code nfvlab install} applies, rendered from the chart itself with Helm (as a library): the release
 * namespace, the CRDs of the chart's {@code crds/} directory (which {@code helm template} leaves out and
 * {@code helm install} applies first), then the chart's templates but its {@code helm test} hooks, in that order.
 */
public record Manifests(List<HasMetadata> objects) {
    /** Kubernetes version the chart is rendered for when the caller does not know the cluster's. */
    public static final String DEFAULT_KUBE_VERSION = "v1.30.0";

    /** Renders the chart for release {@code release} in {@code namespace}, with --set values and values files. */
    public static Manifests render(String release, String namespace, Map<String, String> values, List<Path> valuesFiles,
                                   String kubeVersion) {
        try (BundledChart chart = BundledChart.open()) {
            TemplateCommand template = new Helm(chart.dir()).template().withName(release).withNamespace(namespace)
                    .withKubeVersion(kubeVersion).skipCrds();
            values.forEach(template::set);
            valuesFiles.forEach(template::withValuesFile);
            String rendered;
            try {
                rendered = template.call();
            } catch (RuntimeException e) {
                throw CliException.usage("the chart does not render with these values: " + Errors.flatten(e.getMessage()));
            }
            List<HasMetadata> objects = new ArrayList<>();
            objects.add(new NamespaceBuilder().withNewMetadata().withName(namespace)
                    .addToLabels("app.kubernetes.io/part-of", "nfvlab").endMetadata().build());
            objects.addAll(crds(chart.dir().resolve("crds")));
            parse(rendered).stream().filter(o -> !isHelmTest(o)).forEach(objects::add);
            return new Manifests(List.copyOf(objects));
        }
    }

    /**
     * The chart's {@code helm test} objects (its check Pod and that Pod's account) run on {@code helm test} only;
     * an install applies none of them.
     */
    static boolean isHelmTest(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        String hook = annotations == null ? null : annotations.get("helm.sh/hook");
        return hook != null && java.util.Arrays.stream(hook.split(",")).map(String::strip).anyMatch(h -> h.equals("test") || h.equals("test-success"));
    }

    private static List<HasMetadata> crds(Path dir) {
        List<HasMetadata> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
                out.addAll(parse(Files.readString(f)));
            }
        } catch (IOException e) {
            throw CliException.failure("cannot read the chart's CRDs: " + e.getMessage());
        }
        return out;
    }

    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
                continue;
            }
            Object parsed = Serialization.unmarshal(doc);
            if (parsed instanceof HasMetadata object) {
                out.add(object);
            } else if (parsed instanceof KubernetesResource) {
                throw new IllegalStateException("the chart renders an object without metadata: " + doc.strip().lines().findFirst().orElse(""));
            }
        }
        return out;
    }

    /** All objects as one YAML stream, as {@code kubectl apply -f -} reads it. */
    public String yaml() {
        StringBuilder out = new StringBuilder();
        for (HasMetadata o : objects) {
            out.append(Serialization.asYaml(o).replaceFirst("^---\n", "")).append("---\n");
        }
        return out.toString();
    }
}
