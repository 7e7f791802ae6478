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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                "dpdkbridges.nfvlab.io", "networknodestates.nfvlab.io", "linkprofiles.nfvlab.io");
        List<JsonNode> docs = template(new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").withNamespace("nfvlab-system").call());
        JsonNode deployment = only(docs, "Deployment", "nfvlab-operator");
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(container.path("image").asText()).isEqualTo("ghcr.io/nfvlab/nfvlab-operator:0.1.0-SNAPSHOT");
        assertThat(args(container)).contains("--system-namespace=nfvlab-system", "--metrics-port=8080", "--leader-election")
                .noneMatch(a -> a.startsWith("--agent-") || a.startsWith("--manage-agent"));
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(deployment.at("/spec/template/spec/serviceAccountName").asText()).isEqualTo("nfvlab-operator");
        assertThat(only(docs, "ServiceAccount", "nfvlab-agent").at("/metadata/namespace").asText()).isEqualTo("nfvlab-system");
        assertThat(only(docs, "ClusterRoleBinding", "lab-operator").at("/subjects/0/name").asText()).isEqualTo("nfvlab-operator");
        assertThat(only(docs, "ClusterRoleBinding", "lab-agent").at("/subjects/0/name").asText()).isEqualTo("nfvlab-agent");
        assertThat(only(docs, "ClusterRole", "lab-agent").path("rules").toString()).contains("networknodestates/status");
        assertThat(only(docs, "ClusterRole", "lab-operator").path("rules").toString()).contains("networknodestates")
                .doesNotContain("daemonsets");
        JsonNode leader = only(docs, "Role", "lab-operator-leader");
        assertThat(leader.at("/metadata/namespace").asText()).isEqualTo("nfvlab-system");
        assertThat(leader.path("rules").toString()).contains("leases");
        JsonNode tokens = only(docs, "Role", "lab-operator-tokens");
        assertThat(tokens.at("/metadata/namespace").asText()).isEqualTo("nfvlab-system");
        assertThat(tokens.path("rules").toString()).contains("configmaps").doesNotContain("update", "patch", "*");
        assertThat(only(docs, "RoleBinding", "lab-operator-tokens").at("/subjects/0/name").asText()).isEqualTo("nfvlab-operator");
        assertThat(args(container)).contains("--vni-range=1048576-16777215");
        assertThat(only(docs, "Service", "nfvlab-operator-metrics").at("/spec/ports/0/port").asInt()).isEqualTo(8080);
        assertThat(docs).noneMatch(d -> d.path("kind").asText().equals("ServiceMonitor"));
    }

    @Test
    void theAgentDaemonSetIsPartOfTheReleaseWithMountsThatWorkOnAnyNode() throws IOException {
        List<JsonNode> docs = template(new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").withNamespace("nfvlab-system").call());
        JsonNode ds = only(docs, "DaemonSet", "nfvlab-agent");
        assertThat(ds.at("/metadata/namespace").asText()).isEqualTo("nfvlab-system");
        JsonNode pod = ds.at("/spec/template/spec");
        JsonNode agent = pod.at("/containers/0");
        assertThat(agent.path("image").asText()).isEqualTo("ghcr.io/nfvlab/nfvlab-agent:0.1.0-SNAPSHOT");
        assertThat(agent.path("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(pod.path("hostNetwork").asBoolean()).isTrue();
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo("nfvlab-agent");
        assertThat(agent.at("/env/0/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("spec.nodeName");
        assertThat(agent.at("/resources/limits/memory").asText()).isNotEmpty();
        // only what must propagate does, at the path the runtime checks literally (/var/run is a symlink)
        List<String> propagated = new ArrayList<>();
        agent.path("volumeMounts").forEach(m -> {
            if (m.has("mountPropagation")) {
                propagated.add(m.path("mountPath").asText() + "=" + m.path("mountPropagation").asText());
            }
        });
        assertThat(propagated).containsExactly("/run/netns=Bidirectional");
        assertThat(mount(agent, "/etc/cni/net.d").path("readOnly").asBoolean()).isTrue();
        assertThat(mount(agent, "/opt/cni/bin").path("readOnly").asBoolean()).isTrue();
        // /run/netns is made a shared mount on the host first; the CNI executable is installed into the bin directory
        List<String> inits = new ArrayList<>();
        pod.path("initContainers").forEach(c -> inits.add(c.path("name").asText()));
        assertThat(inits).containsExactly("shared-netns", "install-cni");
        JsonNode installer = pod.at("/initContainers/1");
        assertThat(installer.toString()).contains("nfvlab-cni").doesNotContain("net.d");
        assertThat(mount(installer, "/host/cni-bin").path("readOnly").asBoolean()).isFalse();
        assertThat(only(docs, "Service", "nfvlab-agent-metrics").at("/spec/ports/0/port").asInt())
                .isEqualTo(agent.at("/ports/0/containerPort").asInt()).isEqualTo(9102);
    }

    @Test
    void noContainerIsPrivilegedButTheAgentsAndLabelsHaveNoDuplicateKeys() throws IOException {
        String out = new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").withNamespace("nfvlab-system").call();
        // a strict parser refuses a mapping with a key twice (the pod template once repeated app.kubernetes.io/instance)
        ObjectMapper strict = new ObjectMapper(new YAMLFactory()).enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        List<JsonNode> docs = new ArrayList<>();
        strict.readerFor(JsonNode.class).readValues(out).forEachRemaining(n -> {
            if (n != null && !((JsonNode) n).isNull()) {
                docs.add((JsonNode) n);
            }
        });
        List<String> privileged = new ArrayList<>();
        for (JsonNode d : docs) {
            JsonNode spec = d.at("/spec/template/spec");
            for (String list : List.of("containers", "initContainers")) {
                spec.path(list).forEach(c -> {
                    if (c.at("/securityContext/privileged").asBoolean()) {
                        privileged.add(d.at("/metadata/name").asText() + "/" + c.path("name").asText());
                    }
                });
            }
        }
        // the agent has capabilities, not privileged (security.agentPrivileged; ChartLeastPrivilegeTest)
        assertThat(privileged).containsExactlyInAnyOrder("nfvlab-agent/shared-netns");
    }

    @Test
    void agentSettingsAndServiceMonitorFollowTheValues() throws IOException {
        List<JsonNode> docs = template(new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").withNamespace("lab-ns")
                .set("agent.image.tag", "dev")
                .set("agent.image.pullPolicy", "Never")
                .set("agent.metricsPort", "9200")
                .set("agent.nodeSelector.nfvlab\\.io/pool", "dataplane")
                .set("agent.tolerateAll", "true")
                .set("imagePullSecrets[0].name", "regcred")
                .set("operator.replicas", "1")
                .set("operator.vniRange", "70000-79999")
                .set("metrics.serviceMonitor.enabled", "true")
                .skipCrds().call());
        JsonNode pod = only(docs, "DaemonSet", "nfvlab-agent").at("/spec/template/spec");
        JsonNode agent = pod.at("/containers/0");
        assertThat(agent.path("image").asText()).isEqualTo("ghcr.io/nfvlab/nfvlab-agent:dev");
        assertThat(agent.path("imagePullPolicy").asText()).isEqualTo("Never");
        assertThat(args(agent)).contains("--metrics-port=9200", "--system-namespace=lab-ns");
        assertThat(agent.at("/ports/0/containerPort").asInt()).isEqualTo(9200);
        assertThat(only(docs, "Service", "nfvlab-agent-metrics").at("/spec/ports/0/port").asInt()).isEqualTo(9200);
        assertThat(pod.at("/nodeSelector").toString()).contains("nfvlab.io/pool", "dataplane");
        assertThat(pod.at("/tolerations/0/operator").asText()).isEqualTo("Exists");
        assertThat(pod.at("/imagePullSecrets/0/name").asText()).isEqualTo("regcred");
        assertThat(args(only(docs, "Deployment", "nfvlab-operator").at("/spec/template/spec/containers/0"))).doesNotContain("--leader-election")
                .contains("--vni-range=70000-79999");
        assertThat(only(docs, "ServiceMonitor", "nfvlab").at("/spec/endpoints/0/port").asText()).isEqualTo("metrics");
        assertThat(docs).noneMatch(d -> d.path("kind").asText().equals("CustomResourceDefinition"));
    }

    @Test
    void metricsAddressesReachTheProcessesAsTheirEnvironment() throws IOException {
        List<JsonNode> byDefault = template(new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").skipCrds().call());
        assertThat(only(byDefault, "DaemonSet", "nfvlab-agent").at("/spec/template/spec/containers/0/env").toString())
                .as("every address unless asked").doesNotContain("NFVLAB_METRICS_ADDRESS");
        List<JsonNode> docs = template(new Helm(CHART).template().withKubeVersion(KUBE).withName("lab")
                .set("agent.metricsAddress", "podIP")
                .set("operator.metricsAddress", "127.0.0.1")
                .skipCrds().call());
        JsonNode agentEnv = only(docs, "DaemonSet", "nfvlab-agent").at("/spec/template/spec/containers/0/env");
        JsonNode operatorEnv = only(docs, "Deployment", "nfvlab-operator").at("/spec/template/spec/containers/0/env");
        assertThat(env(agentEnv, "NFVLAB_METRICS_ADDRESS").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("status.podIP");
        assertThat(env(operatorEnv, "NFVLAB_METRICS_ADDRESS").path("value").asText()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> new Helm(CHART).template().withKubeVersion(KUBE).withName("lab")
                .set("agent.metricsAddress", "$(rm -rf /)").skipCrds().call())
                .hasMessageContaining("metricsAddress");
    }

    private static JsonNode env(JsonNode env, String name) {
        for (JsonNode e : env) {
            if (e.path("name").asText().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no " + name + " in " + env);
    }

    @Test
    void withTheAgentDisabledThereIsNoDaemonSet() throws IOException {
        List<JsonNode> docs = template(new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").set("agent.enabled", "false").skipCrds().call());
        assertThat(docs).noneMatch(d -> d.path("kind").asText().equals("DaemonSet"));
        assertThat(docs).noneMatch(d -> d.path("metadata").path("name").asText().equals("nfvlab-agent-metrics"));
    }

    @Test
    void helmTestRunsTheInstallCheckInTheOperatorImageWithAnAccountForItsTwoKindsOnly() throws IOException {
        // helm template (as helm-java runs it) leaves hooks out, like an install's manifest: render a copy of the chart
        // whose test hooks carry their annotation under another key, which makes them ordinary templates
        assertThat(template(new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").skipCrds().call()))
                .noneMatch(d -> d.path("kind").asText().equals("Pod"));
        Path chart = chartWithTestHooksAsTemplates(tmp);
        List<JsonNode> docs = template(new Helm(chart).template().withKubeVersion(KUBE).withName("lab").withNamespace("nfvlab-system")
                .skipCrds().call());
        List<JsonNode> hooks = docs.stream().filter(d -> d.at("/metadata/annotations/" + RENAMED_HOOK.replace("/", "~1")).asText().equals("test")).toList();
        assertThat(hooks).extracting(d -> d.path("kind").asText() + "/" + d.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("ServiceAccount/lab-check", "Role/lab-check", "RoleBinding/lab-check", "Pod/lab-check");
        assertThat(hooks).allSatisfy(d -> assertThat(d.at("/metadata/namespace").asText()).isEqualTo("nfvlab-system"));

        JsonNode pod = only(docs, "Pod", "lab-check");
        JsonNode check = pod.at("/spec/containers/0");
        assertThat(check.path("image").asText()).isEqualTo("ghcr.io/nfvlab/nfvlab-operator:0.1.0-SNAPSHOT");
        assertThat(args(check)).containsExactly("check-install", "--namespace=nfvlab-system", "--timeout=PT3M");
        assertThat(pod.at("/spec/restartPolicy").asText()).isEqualTo("Never");
        assertThat(pod.at("/spec/serviceAccountName").asText()).isEqualTo("lab-check");
        assertThat(pod.at("/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(check.at("/securityContext/privileged").asBoolean()).isFalse();
        assertThat(check.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(check.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
        assertThat(check.at("/resources/limits/memory").asText()).isNotEmpty();

        JsonNode role = only(docs, "Role", "lab-check");
        assertThat(role.path("rules")).hasSize(1);
        assertThat(role.at("/rules/0/apiGroups").toString()).isEqualTo("[\"nfvlab.io\"]");
        assertThat(role.at("/rules/0/resources").toString()).isEqualTo("[\"virtualtopologies\",\"traffictests\"]");
        assertThat(role.at("/rules/0/verbs").toString()).doesNotContain("*", "update", "patch");
        JsonNode binding = only(docs, "RoleBinding", "lab-check");
        assertThat(binding.at("/roleRef/name").asText()).isEqualTo("lab-check");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("lab-check");

        List<JsonNode> without = template(new Helm(chart).template().withKubeVersion(KUBE).withName("lab").set("test.enabled", "false")
                .skipCrds().call());
        assertThat(without).noneMatch(d -> d.path("kind").asText().equals("Pod") || d.at("/metadata/name").asText().equals("lab-check"));
        assertThatThrownBy(() -> new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").set("test.timeout", "3m")
                .skipCrds().call()).hasMessageContaining("timeout");
    }

    @org.junit.jupiter.api.io.TempDir
    Path tmp;

    private static final String RENAMED_HOOK = "nfvlab.test/hook";

    /** A copy of the chart in which templates/tests/ declare {@value #RENAMED_HOOK} where the chart says helm.sh/hook. */
    private static Path chartWithTestHooksAsTemplates(Path copy) throws IOException {
        try (var files = java.nio.file.Files.walk(CHART)) {
            for (Path p : files.toList()) {
                Path out = copy.resolve(CHART.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) {
                    java.nio.file.Files.createDirectories(out);
                } else if (p.startsWith(CHART.resolve("templates/tests"))) {
                    String text = java.nio.file.Files.readString(p);
                    assertThat(text).contains("helm.sh/hook: test");
                    java.nio.file.Files.writeString(out, text.replace("helm.sh/hook:", RENAMED_HOOK + ":")
                            .replace("helm.sh/hook-weight:", "nfvlab.test/hook-weight:")
                            .replace("helm.sh/hook-delete-policy:", "nfvlab.test/hook-delete-policy:"));
                } else {
                    java.nio.file.Files.copy(p, out);
                }
            }
        }
        return copy;
    }

    @Test
    void theAgentChecksTheCniBinDirectoryOnlyWhereTheChartInstallsIntoIt() throws IOException {
        JsonNode agent = only(template(new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").skipCrds().call()),
                "DaemonSet", "nfvlab-agent").at("/spec/template/spec/containers/0");
        assertThat(args(agent)).contains("--cni-bin-dir=/opt/cni/bin");
        assertThat(mount(agent, "/opt/cni/bin").path("readOnly").asBoolean()).isTrue();
        JsonNode without = only(template(new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").set("cni.install", "false")
                .skipCrds().call()), "DaemonSet", "nfvlab-agent").at("/spec/template/spec/containers/0");
        assertThat(args(without)).noneMatch(a -> a.startsWith("--cni-bin-dir"));
    }

    @Test
    void wrongValuesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new Helm(CHART).template().withKubeVersion(KUBE).withName("lab")
                .set("agent.image.pullPolicy", "Sometimes").skipCrds().call())
                .hasMessageContaining("pullPolicy");
        assertThatThrownBy(() -> new Helm(CHART).template().withKubeVersion(KUBE).withName("lab")
                .set("operator.replicas", "-1").skipCrds().call())
                .hasMessageContaining("replicas");
        assertThatThrownBy(() -> new Helm(CHART).template().withKubeVersion(KUBE).withName("lab")
                .set("operator.vniRange", "4096").skipCrds().call())
                .hasMessageContaining("vniRange");
        // a typo, or a value of an earlier chart version, is not silently ignored
        assertThatThrownBy(() -> new Helm(CHART).template().withKubeVersion(KUBE).withName("lab")
                .set("agent.manage", "false").skipCrds().call())
                .hasMessageContaining("manage");
    }

    private static JsonNode mount(JsonNode container, String path) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals(path)) {
                return m;
            }
        }
        throw new AssertionError("no mount at " + path + " in " + container.path("name").asText());
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
