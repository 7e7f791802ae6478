package io.nfvlab.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** helm lint and helm template on the chart (Helm 3 as a native library through helm-java; no helm binary, offline). */
class HelmChartTest {
    private static final Path CHART = Path.of("nfvlab");
    /** Helm assumes 1.20 when not told; the chart needs 1.25+ for CEL rules. */
    private static final String KUBE = "v1.30.0";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void lintsCleanInStrictMode() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void chartHasCrdsAndDefaultTemplateHasOperatorRbacAndMetrics() throws IOException {
        // helm template leaves crds/ out (helm install applies it first); helm show crds is what Helm will install
        // (it prints the files one after another without "---", so match each CRD's metadata.name line)
        String crds = new Helm(CHART).show().crds().call();
        List<String> names = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^  name: \"([a-z]+\\.nfvlab\\.io)\"$").matcher(crds);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).containsExactlyInAnyOrder("virtualtopologies.nfvlab.io", "traffictests.nfvlab.io",
                "dpdkbridges.nfvlab.io", "networknodestates.nfvlab.io");
        List<JsonNode> docs = template(new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").withNamespace("nfvlab-system").call());
        JsonNode deployment = only(docs, "Deployment", "nfvlab-operator");
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(container.path("image").asText()).isEqualTo("ghcr.io/nfvlab/nfvlab-operator:0.1.0");
        assertThat(args(container)).contains("--system-namespace=nfvlab-system", "--manage-agent-daemonset",
                "--agent-image=ghcr.io/nfvlab/nfvlab-agent:0.1.0", "--metrics-port=8080").doesNotContain("--agent-tolerate-all");
        assertThat(deployment.at("/spec/template/spec/serviceAccountName").asText()).isEqualTo("nfvlab-operator");
        assertThat(only(docs, "ServiceAccount", "nfvlab-agent").at("/metadata/namespace").asText()).isEqualTo("nfvlab-system");
        assertThat(only(docs, "ClusterRoleBinding", "lab-operator").at("/subjects/0/name").asText()).isEqualTo("nfvlab-operator");
        assertThat(only(docs, "ClusterRoleBinding", "lab-agent").at("/subjects/0/name").asText()).isEqualTo("nfvlab-agent");
        assertThat(only(docs, "ClusterRole", "lab-agent").path("rules").toString()).contains("networknodestates/status", "leases");
        assertThat(only(docs, "ClusterRole", "lab-operator").path("rules").toString()).contains("networknodestates", "daemonsets");
        assertThat(only(docs, "Service", "nfvlab-operator-metrics").at("/spec/ports/0/port").asInt()).isEqualTo(8080);
        assertThat(docs).noneMatch(d -> d.path("kind").asText().equals("ServiceMonitor"));
    }

    @Test
    void agentSettingsAndServiceMonitorFollowTheValues() throws IOException {
        List<JsonNode> docs = template(new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").withNamespace("lab-ns")
                .set("agent.image.tag", "dev")
                .set("agent.nodeSelector.nfvlab\\.io/pool", "dataplane")
                .set("agent.tolerateAll", "true")
                .set("metrics.serviceMonitor.enabled", "true")
                .skipCrds().call());
        List<String> args = args(only(docs, "Deployment", "nfvlab-operator").at("/spec/template/spec/containers/0"));
        assertThat(args).contains("--agent-image=ghcr.io/nfvlab/nfvlab-agent:dev", "--agent-node-selector=nfvlab.io/pool=dataplane",
                "--agent-tolerate-all", "--system-namespace=lab-ns");
        assertThat(only(docs, "ServiceMonitor", "nfvlab").at("/spec/endpoints/0/port").asText()).isEqualTo("metrics");
        assertThat(docs).noneMatch(d -> d.path("kind").asText().equals("CustomResourceDefinition"));
    }

    @Test
    void withoutAgentManagementTheOperatorIsNotToldToRunAgents() throws IOException {
        List<JsonNode> docs = template(new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").set("agent.manage", "false").skipCrds().call());
        assertThat(args(only(docs, "Deployment", "nfvlab-operator").at("/spec/template/spec/containers/0")))
                .noneMatch(a -> a.startsWith("--manage-agent-daemonset") || a.startsWith("--agent-"));
    }

    private static List<JsonNode> template(String out) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        YAML.readerFor(JsonNode.class).readValues(out).forEachRemaining(n -> {
            if (n != null && !((JsonNode) n).isNull() && !((JsonNode) n).isMissingNode()) {
                docs.add((JsonNode) n);
            }
        });
        return docs;
    }

    private static JsonNode only(List<JsonNode> docs, String kind, String name) {
        Optional<JsonNode> found = docs.stream().filter(d -> d.path("kind").asText().equals(kind)
                && d.path("metadata").path("name").asText().equals(name)).findFirst();
        assertThat(found).as(kind + " " + name).isPresent();
        return found.get();
    }

    private static List<String> args(JsonNode container) {
        List<String> out = new ArrayList<>();
        container.path("args").forEach(a -> out.add(a.asText()));
        return out;
    }
}
