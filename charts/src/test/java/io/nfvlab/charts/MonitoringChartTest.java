package io.nfvlab.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The chart's Grafana dashboard ConfigMap and PrometheusRule: off by default, and when on, what Grafana's sidecar and
 * Prometheus accept. That the queries name only exported metrics is TrafficEndToEndIT's job (it has a real scrape).
 */
class MonitoringChartTest {
    private static final Path CHART = Path.of("nfvlab");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KUBE = "v1.30.0";

    @Test
    void neitherDashboardNorRulesByDefault() throws IOException {
        List<JsonNode> docs = render(new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").withNamespace("nfvlab-system").skipCrds().call());
        assertThat(docs).noneMatch(d -> d.path("kind").asText().equals("PrometheusRule"))
                .noneMatch(d -> d.path("metadata").path("name").asText().equals("nfvlab-grafana-dashboard"));
    }

    @Test
    void dashboardIsAConfigMapTheGrafanaSidecarLoads() throws IOException {
        List<JsonNode> docs = render(new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").withNamespace("nfvlab-system").skipCrds()
                .set("metrics.grafanaDashboard.enabled", "true").call());
        JsonNode cm = docs.stream().filter(d -> d.path("kind").asText().equals("ConfigMap")
                && d.path("metadata").path("name").asText().equals("nfvlab-grafana-dashboard")).findFirst().orElseThrow();
        assertThat(cm.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
        JsonNode dashboard = JSON.readTree(cm.path("data").path("nfvlab.json").asText());
        List<String> titles = new ArrayList<>();
        dashboard.path("panels").forEach(p -> titles.add(p.path("title").asText()));
        assertThat(titles).anyMatch(t -> t.startsWith("Topologies by state")).anyMatch(t -> t.startsWith("Reconcile latency"))
                .anyMatch(t -> t.startsWith("Per-link rates")).anyMatch(t -> t.startsWith("TrafficTest verdicts"))
                .anyMatch(t -> t.startsWith("Throughput results over time"));
    }

    @Test
    void renderedPrometheusRulePassesPromtoolCheckRules() throws Exception {
        Path promtool = Stream.of(System.getenv("PATH").split(":")).map(d -> Path.of(d, "promtool")).filter(Files::isExecutable)
                .findFirst().orElse(null);
        assumeTrue(promtool != null, "promtool is not installed (Debian package prometheus; scripts/setup-host.sh installs it)");
        List<JsonNode> docs = render(new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").withNamespace("nfvlab-system").skipCrds()
                .set("metrics.prometheusRule.enabled", "true").set("metrics.prometheusRule.labels.release", "kps").call());
        JsonNode rule = docs.stream().filter(d -> d.path("kind").asText().equals("PrometheusRule")).findFirst().orElseThrow();
        assertThat(rule.path("metadata").path("labels").path("release").asText()).isEqualTo("kps");
        List<String> alerts = new ArrayList<>();
        rule.path("spec").path("groups").forEach(g -> g.path("rules").forEach(r -> alerts.add(r.path("alert").asText())));
        assertThat(alerts).containsExactly("NfvlabAgentDown", "NfvlabTopologyDegraded", "NfvlabTrafficTestFailed");

        Path groups = Files.createTempFile("nfvlab-rules", ".yaml");
        try {
            YAML.writeValue(groups.toFile(), rule.path("spec"));   // the rule groups, as a Prometheus rule file
            Process p = new ProcessBuilder(promtool.toString(), "check", "rules", groups.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("SUCCESS: 3 rules found");
        } finally {
            Files.deleteIfExists(groups);
        }
    }

    @Test
    void perLinkSeriesCanBeSwitchedOffForLargeTopologies() throws IOException {
        assertThat(agentArgs(new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").skipCrds().call())).doesNotContain("--no-link-metrics");
        assertThat(agentArgs(new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").skipCrds().set("agent.linkMetrics", "false").call()))
                .contains("--no-link-metrics");
    }

    private static List<String> agentArgs(String out) throws IOException {
        JsonNode ds = render(out).stream().filter(d -> d.path("kind").asText().equals("DaemonSet")).findFirst().orElseThrow();
        List<String> args = new ArrayList<>();
        ds.path("spec").path("template").path("spec").path("containers").get(0).path("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    private static List<JsonNode> render(String out) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        YAML.readerFor(JsonNode.class).readValues(out).forEachRemaining(n -> {
            if (n != null && !((JsonNode) n).isNull() && !((JsonNode) n).isMissingNode()) {
                docs.add((JsonNode) n);
            }
        });
        return docs;
    }
}
