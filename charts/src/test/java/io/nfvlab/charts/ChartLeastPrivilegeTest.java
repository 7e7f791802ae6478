package io.nfvlab.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rendered chart gives each component only what it uses (README "Security model"): the agent writes no Node, no
 * Pod and no NetworkNodeState spec, holds Leases only in the release namespace, and an admission policy (evaluated
 * here with CEL as the API server would) confines it to its own node; no container is privileged by default but the
 * one-line init step that makes /run/netns a shared mount.
 */
class ChartLeastPrivilegeTest {
    private static final Path CHART = Path.of("nfvlab");
    private static final String KUBE = "v1.30.0";
    private static final String NS = "nfvlab-system";
    private static final String AGENT = "system:serviceaccount:" + NS + ":nfvlab-agent";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete", "deletecollection", "*");

    @Test
    void theAgentClusterRoleWritesOnlyNodeStateStatusAndPatchesStatesOnlyForItsFinalizer() throws IOException {
        List<JsonNode> docs = render(Map.of());
        Map<String, Set<String>> agent = verbsByResource(only(docs, "ClusterRole", "lab-agent"));
        assertThat(agent).containsOnlyKeys("nfvlab.io/networknodestates", "nfvlab.io/networknodestates/status", "/nodes");
        assertThat(writes(agent.get("/nodes"))).isEmpty();
        assertThat(writes(agent.get("nfvlab.io/networknodestates/status"))).containsExactlyInAnyOrder("update", "patch");
        // the finalizer is metadata: only a patch of the object releases it; the admission policy keeps it to that
        assertThat(writes(agent.get("nfvlab.io/networknodestates"))).containsExactly("patch");
        assertThat(only(docs, "ValidatingAdmissionPolicy", "lab-agent-node-restriction")).isNotNull();
        assertThat(only(docs, "ClusterRoleBinding", "lab-agent").at("/subjects/0/name").asText()).isEqualTo("nfvlab-agent");
    }

    @Test
    void leasesOnlyThroughRolesInTheReleaseNamespaceAndEventsOnlyCreatedOrPatched() throws IOException {
        List<JsonNode> docs = render(Map.of());
        for (JsonNode role : all(docs, "ClusterRole")) {
            assertThat(verbsByResource(role)).as(role.at("/metadata/name").asText()).doesNotContainKey("coordination.k8s.io/leases");
        }
        JsonNode local = only(docs, "Role", "lab-agent");
        assertThat(local.at("/metadata/namespace").asText()).isEqualTo(NS);
        assertThat(verbsByResource(local)).containsOnlyKeys("coordination.k8s.io/leases", "/events");
        JsonNode binding = only(docs, "RoleBinding", "lab-agent");
        assertThat(binding.at("/metadata/namespace").asText()).isEqualTo(NS);
        assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("Role");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("nfvlab-agent");

        List<JsonNode> roles = new ArrayList<>(all(docs, "ClusterRole"));
        roles.addAll(all(docs, "Role"));
        for (JsonNode role : roles) {
            verbsByResource(role).forEach((resource, verbs) -> {
                if (resource.endsWith("/events")) {
                    assertThat(verbs).as(role.at("/metadata/name").asText()).isSubsetOf("create", "patch");
                }
                assertThat(resource).doesNotContain("*");
                assertThat(verbs).doesNotContain("*");
            });
        }
        // everything the chart puts in a namespace is in the release's
        docs.stream().filter(d -> d.at("/metadata/namespace").isTextual())
                .forEach(d -> assertThat(d.at("/metadata/namespace").asText()).as(d.at("/metadata/name").asText()).isEqualTo(NS));
    }

    @Test
    void theOperatorHasOnlyWhatItUses() throws IOException {
        Map<String, Set<String>> operator = verbsByResource(only(render(Map.of()), "ClusterRole", "lab-operator"));
        assertThat(operator).doesNotContainKeys("/secrets", "/namespaces", "apps/daemonsets",
                "apiextensions.k8s.io/customresourcedefinitions", "coordination.k8s.io/leases");
        // changed deliberately with container hosts on a cluster (podHosts.enabled, on by default): the operator
        // creates the Pods of templated hosts and deletes them with their topology, and reads referenced pods for
        // their node; it never watches, updates or patches a Pod
        assertThat(operator.get("/pods")).containsExactlyInAnyOrder("get", "list", "create", "delete");
        assertThat(writes(operator.get("/nodes"))).isEmpty();
        // users create and delete their resources; the operator writes their status and its finalizer
        for (String kind : List.of("virtualtopologies", "traffictests", "dpdkbridges")) {
            assertThat(writes(operator.get("nfvlab.io/" + kind))).as(kind).doesNotContain("create", "delete");
        }
        assertThat(writes(operator.get("nfvlab.io/networknodestates"))).contains("create", "delete");
        // users write LinkProfiles; the operator only watches them
        assertThat(operator.get("nfvlab.io/linkprofiles")).containsExactlyInAnyOrder("get", "list", "watch");
    }

    @Test
    void theAdmissionPolicyConfinesEachAgentToItsOwnNode() throws IOException {
        JsonNode policy = only(render(Map.of()), "ValidatingAdmissionPolicy", "lab-agent-node-restriction");
        JsonNode binding = only(render(Map.of()), "ValidatingAdmissionPolicyBinding", "lab-agent-node-restriction");
        assertThat(binding.at("/spec/policyName").asText()).isEqualTo("lab-agent-node-restriction");
        assertThat(binding.at("/spec/validationActions").toString()).isEqualTo("[\"Deny\"]");
        assertThat(policy.at("/spec/failurePolicy").asText()).isEqualTo("Fail");
        Policy p = new Policy(policy);

        Map<String, Object> mine = state("node-a", List.of("nfvlab.io/agent"));
        Map<String, Object> theirs = state("node-b", List.of("nfvlab.io/agent"));
        assertThat(p.denial(AGENT, "node-a", "networknodestates", "status", mine, withStatus(mine))).isNull();
        assertThat(p.denial(AGENT, "node-a", "networknodestates", "status", theirs, withStatus(theirs)))
                .contains("only the NetworkNodeStates of its own node (node-a)");
        // releasing its finalizer is the one change of the object itself an agent may make
        assertThat(p.denial(AGENT, "node-a", "networknodestates", "", mine, state("node-a", List.of()))).isNull();
        assertThat(p.denial(AGENT, "node-a", "networknodestates", "", state("node-a", List.of("nfvlab.io/operator", "nfvlab.io/agent")),
                state("node-a", List.of("nfvlab.io/agent")))).contains("only in its status");
        Map<String, Object> rewritten = state("node-a", List.of("nfvlab.io/agent"));
        spec(rewritten).put("hosts", List.of(Map.of("name", "h1", "netns", "/etc")));
        assertThat(p.denial(AGENT, "node-a", "networknodestates", "", mine, rewritten)).contains("only in its status");
        // taking another node's state over by relabelling it
        assertThat(p.denial(AGENT, "node-a", "networknodestates", "", theirs, state("node-a", List.of("nfvlab.io/agent"))))
                .contains("its own node");

        assertThat(p.denial(AGENT, "node-a", "leases", "", lease("nfvlab-agent-node-a"), lease("nfvlab-agent-node-a"))).isNull();
        assertThat(p.denial(AGENT, "node-a", "leases", "", lease("nfvlab-agent-node-b"), lease("nfvlab-agent-node-b")))
                .contains("only its own Lease nfvlab-agent-node-a");
        assertThat(p.denial(AGENT, "node-a", "leases", "", lease("nfvlab-operator"), lease("nfvlab-operator"))).isNotNull();

        // a token without the node claim (an older cluster, credentials used outside their pod) may write nothing
        assertThat(p.denial(AGENT, null, "networknodestates", "status", mine, withStatus(mine))).contains("no node claim");
        // other users are not matched at all
        assertThat(p.matches("system:serviceaccount:" + NS + ":nfvlab-operator")).isFalse();
        assertThat(p.matches(AGENT)).isTrue();
    }

    @Test
    void belowKubernetes130TheChartRefusesThePolicyAndSaysHowToGoWithout() throws IOException {
        assertThatThrownBy(() -> new Helm(CHART).template().withKubeVersion("v1.29.4").withName("lab").withNamespace(NS).call())
                .hasMessageContaining("security.agentNodeRestriction needs Kubernetes >= 1.30")
                .hasMessageContaining("security.agentNodeRestriction=false");
        List<JsonNode> weaker = template(new Helm(CHART).template().withKubeVersion("v1.29.4").withName("lab").withNamespace(NS)
                .set("security.agentNodeRestriction", "false").call());
        assertThat(weaker).noneMatch(d -> d.path("kind").asText().startsWith("ValidatingAdmissionPolicy"));
        assertThat(only(weaker, "DaemonSet", "nfvlab-agent").at("/spec/template/spec/containers/0/securityContext/appArmorProfile")
                .isMissingNode()).as("a field 1.29 does not know").isTrue();
    }

    @Test
    void noContainerIsPrivilegedByDefaultAndTheAgentHasOnlyTheCapabilitiesItNeeds() throws IOException {
        List<JsonNode> docs = render(Map.of());
        assertThat(privileged(docs)).as("only the one-line init step that makes /run/netns a shared mount")
                .containsExactly("nfvlab-agent/shared-netns");
        JsonNode pod = only(docs, "DaemonSet", "nfvlab-agent").at("/spec/template/spec");
        JsonNode agent = pod.at("/containers/0");
        JsonNode sc = agent.path("securityContext");
        assertThat(strings(sc.at("/capabilities/drop"))).containsExactly("ALL");
        assertThat(strings(sc.at("/capabilities/add"))).containsExactlyInAnyOrder("NET_ADMIN", "SYS_ADMIN", "NET_RAW", "SYS_NICE", "IPC_LOCK");
        assertThat(sc.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        assertThat(agent.at("/resources/limits/memory").asText()).isNotEmpty();
        // the CNI configuration and plugins are read, never written, by the agent; only the installer writes the bin dir
        assertThat(mount(agent, "/etc/cni/net.d").path("readOnly").asBoolean()).isTrue();
        assertThat(mount(agent, "/opt/cni/bin").path("readOnly").asBoolean()).isTrue();
        JsonNode installer = pod.at("/initContainers/1");
        assertThat(installer.path("name").asText()).isEqualTo("install-cni");
        assertThat(strings(installer.at("/securityContext/capabilities/drop"))).containsExactly("ALL");
        assertThat(installer.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        for (JsonNode m : installer.path("volumeMounts")) {
            assertThat(m.path("mountPath").asText()).isEqualTo("/host/cni-bin");
        }

        List<JsonNode> privileged = render(Map.of("security.agentPrivileged", "true"));
        assertThat(privileged(privileged)).containsExactlyInAnyOrder("nfvlab-agent/agent", "nfvlab-agent/shared-netns");
    }

    @Test
    void theOperatorRunsAsNonRootOnAReadOnlyRootWithoutCapabilities() throws IOException {
        JsonNode pod = only(render(Map.of()), "Deployment", "nfvlab-operator").at("/spec/template/spec");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        JsonNode sc = pod.at("/containers/0/securityContext");
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(sc.path("allowPrivilegeEscalation").isBoolean() && !sc.path("allowPrivilegeEscalation").asBoolean()).isTrue();
        assertThat(strings(sc.at("/capabilities/drop"))).containsExactly("ALL");
        assertThat(sc.at("/capabilities/add").isMissingNode()).isTrue();
    }

    @Test
    void withoutPodHostsTheOperatorHasNoPodRightsAndTheAgentNoPodHostsFlag() throws IOException {
        List<JsonNode> off = render(Map.of("podHosts.enabled", "false"));
        assertThat(verbsByResource(only(off, "ClusterRole", "lab-operator"))).doesNotContainKey("/pods");
        assertThat(strings(only(off, "DaemonSet", "nfvlab-agent").at("/spec/template/spec/containers/0/args"))).doesNotContain("--pod-hosts");
        assertThat(strings(only(render(Map.of()), "DaemonSet", "nfvlab-agent").at("/spec/template/spec/containers/0/args"))).contains("--pod-hosts");
        assertThat(verbsByResource(only(render(Map.of()), "ClusterRole", "lab-agent"))).as("the agent still writes no Pod")
                .doesNotContainKey("/pods");
        // the pod-hosts network: only where Multus serves its API (auto), or when asked for
        assertThat(render(Map.of())).noneMatch(d -> d.at("/kind").asText().equals("NetworkAttachmentDefinition"));
        JsonNode nad = only(render(Map.of("podHosts.networkAttachment", "true")), "NetworkAttachmentDefinition", "nfvlab-hosts");
        assertThat(nad.at("/metadata/namespace").asText()).isEqualTo(NS);
        assertThat(nad.at("/spec/config").asText()).isEqualTo(
                java.nio.file.Files.readString(CHART.resolve("files/pod-hosts-network.json")).trim());
    }

    @Test
    void podAnnotationsOnlyWhenAskedAndOnlyUnderThePolicy() throws IOException {
        List<JsonNode> plain = render(Map.of());
        assertThat(verbsByResource(only(plain, "ClusterRole", "lab-agent"))).doesNotContainKey("/pods");
        assertThat(strings(only(plain, "DaemonSet", "nfvlab-agent").at("/spec/template/spec/containers/0/args"))).doesNotContain("--annotate-pods");

        List<JsonNode> annotating = render(Map.of("security.agentAnnotatesPods", "true"));
        assertThat(verbsByResource(only(annotating, "ClusterRole", "lab-agent")).get("/pods")).containsExactlyInAnyOrder("get", "patch");
        assertThat(strings(only(annotating, "DaemonSet", "nfvlab-agent").at("/spec/template/spec/containers/0/args"))).contains("--annotate-pods");
        Policy p = new Policy(only(annotating, "ValidatingAdmissionPolicy", "lab-agent-node-restriction"));
        Map<String, Object> pod = pod("node-a", Map.of("team", "x"));
        Map<String, Object> annotated = pod("node-a", Map.of("team", "x", "userspace/configuration-data", "[]"));
        assertThat(p.denial(AGENT, "node-a", "pods", "", pod, annotated)).isNull();
        assertThat(p.denial(AGENT, "node-b", "pods", "", pod, annotated)).contains("pods on its own node");
        Map<String, Object> swapped = pod("node-a", Map.of("team", "x"));
        swapped.put("spec", Map.of("nodeName", "node-a", "containers", List.of(Map.of("name", "c", "image", "evil"))));
        assertThat(p.denial(AGENT, "node-a", "pods", "", pod, swapped)).contains("only the userspace/configuration-data annotation");
        assertThat(p.denial(AGENT, "node-a", "pods", "", pod, pod("node-a", Map.of("team", "y")))).isNotNull();

        assertThatThrownBy(() -> render(Map.of("security.agentAnnotatesPods", "true", "security.agentNodeRestriction", "false")))
                .hasMessageContaining("security.agentAnnotatesPods needs security.agentNodeRestriction");
    }

    /** The policy's match condition, variables and validations, compiled and evaluated with CEL as the API server does. */
    private static final class Policy {
        private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar("request", SimpleType.DYN).addVar("object", SimpleType.DYN).addVar("oldObject", SimpleType.DYN)
                .addVar("variables", SimpleType.DYN)
                .build();
        private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
        private final List<CelRuntime.Program> matchConditions = new ArrayList<>();
        private final Map<String, CelRuntime.Program> variables = new LinkedHashMap<>();
        private final List<CelRuntime.Program> validations = new ArrayList<>();
        private final List<JsonNode> validationSpecs = new ArrayList<>();
        private final Map<Integer, CelRuntime.Program> messageExpressions = new HashMap<>();

        Policy(JsonNode policy) {
            policy.at("/spec/matchConditions").forEach(c -> matchConditions.add(compile(c.path("expression").asText())));
            policy.at("/spec/variables").forEach(v -> variables.put(v.path("name").asText(), compile(v.path("expression").asText())));
            policy.at("/spec/validations").forEach(v -> {
                if (v.has("messageExpression")) {
                    messageExpressions.put(validations.size(), compile(v.path("messageExpression").asText()));
                }
                validations.add(compile(v.path("expression").asText()));
                validationSpecs.add(v);
            });
            assertThat(matchConditions).isNotEmpty();
            assertThat(validations).hasSizeGreaterThanOrEqualTo(3);
        }

        private static CelRuntime.Program compile(String expression) {
            try {
                return RUNTIME.createProgram(COMPILER.compile(expression).getAst());
            } catch (Exception e) {
                throw new AssertionError("does not compile: " + expression + ": " + e.getMessage(), e);
            }
        }

        boolean matches(String username) {
            Map<String, Object> input = Map.of("request", Map.of("userInfo", Map.of("username", username)));
            return matchConditions.stream().allMatch(m -> (Boolean) eval(m, input));
        }

        /** The first failing validation's message for an UPDATE by {@code user} holding a token for {@code node}, or null. */
        String denial(String user, String node, String resource, String subResource, Map<String, Object> oldObject,
                      Map<String, Object> object) {
            Map<String, Object> userInfo = new HashMap<>();
            userInfo.put("username", user);
            if (node != null) {
                userInfo.put("extra", Map.of("authentication.kubernetes.io/node-name", List.of(node)));
            }
            Map<String, Object> request = Map.of("userInfo", userInfo, "operation", "UPDATE",
                    "resource", Map.of("resource", resource), "subResource", subResource);
            Map<String, Object> input = new HashMap<>(Map.of("request", request, "object", object, "oldObject", oldObject));
            assertThat(matches(user)).isTrue();
            Map<String, Object> vars = new HashMap<>();
            input.put("variables", vars);
            variables.forEach((name, program) -> vars.put(name, eval(program, input)));
            for (int i = 0; i < validations.size(); i++) {
                if (!(Boolean) eval(validations.get(i), input)) {
                    CelRuntime.Program message = messageExpressions.get(i);
                    return message != null ? (String) eval(message, input) : validationSpecs.get(i).path("message").asText();
                }
            }
            return null;
        }

        private static Object eval(CelRuntime.Program program, Map<String, Object> input) {
            try {
                return program.eval(input);
            } catch (Exception e) {
                throw new AssertionError("evaluation failed: " + e.getMessage(), e);
            }
        }
    }

    private static Map<String, Object> state(String node, List<String> finalizers) {
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("name", "vt-x-" + node);
        metadata.put("labels", Map.of("nfvlab.io/node", node, "nfvlab.io/owner-name", "x"));
        if (!finalizers.isEmpty()) {
            metadata.put("finalizers", finalizers);
        }
        Map<String, Object> spec = new HashMap<>();
        spec.put("nodeName", node);
        spec.put("hosts", List.of(Map.of("name", "h1", "netns", "nfv-abcde-h1")));
        Map<String, Object> out = new HashMap<>();
        out.put("metadata", metadata);
        out.put("spec", spec);
        return out;
    }

    private static Map<String, Object> withStatus(Map<String, Object> state) {
        Map<String, Object> out = new HashMap<>(state);
        out.put("status", Map.of("hostsReady", 1));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Map<String, Object> state) {
        return (Map<String, Object>) state.get("spec");
    }

    private static Map<String, Object> lease(String name) {
        return Map.of("metadata", Map.of("name", name, "namespace", NS), "spec", Map.of("holderIdentity", "x"));
    }

    private static Map<String, Object> pod(String node, Map<String, String> annotations) {
        Map<String, Object> out = new HashMap<>();
        out.put("metadata", Map.of("name", "p", "namespace", "t", "annotations", annotations));
        out.put("spec", Map.of("nodeName", node, "containers", List.of(Map.of("name", "c", "image", "app"))));
        return out;
    }

    private static List<JsonNode> render(Map<String, String> values) throws IOException {
        TemplateCommand template = new Helm(CHART).template().withKubeVersion(KUBE).withName("lab").withNamespace(NS);
        values.forEach(template::set);
        return template(template.call());
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

    private static List<JsonNode> all(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    private static JsonNode only(List<JsonNode> docs, String kind, String name) {
        List<JsonNode> found = all(docs, kind).stream().filter(d -> d.at("/metadata/name").asText().equals(name)).toList();
        assertThat(found).as(kind + " " + name).hasSize(1);
        return found.get(0);
    }

    /** "group/resource" → verbs, over every rule of a (Cluster)Role. */
    private static Map<String, Set<String>> verbsByResource(JsonNode role) {
        Map<String, Set<String>> out = new HashMap<>();
        for (JsonNode rule : role.path("rules")) {
            for (JsonNode group : rule.path("apiGroups")) {
                for (JsonNode resource : rule.path("resources")) {
                    out.computeIfAbsent(group.asText() + "/" + resource.asText(), k -> new TreeSet<>()).addAll(strings(rule.path("verbs")));
                }
            }
        }
        return out;
    }

    private static Set<String> writes(Set<String> verbs) {
        Set<String> out = new TreeSet<>(verbs == null ? Set.of() : verbs);
        out.retainAll(WRITES);
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static List<String> privileged(List<JsonNode> docs) {
        List<String> out = new ArrayList<>();
        for (JsonNode d : docs) {
            for (String list : List.of("containers", "initContainers")) {
                d.at("/spec/template/spec").path(list).forEach(c -> {
                    if (c.at("/securityContext/privileged").asBoolean()) {
                        out.add(d.at("/metadata/name").asText() + "/" + c.path("name").asText());
                    }
                });
            }
        }
        return out;
    }

    private static JsonNode mount(JsonNode container, String path) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals(path)) {
                return m;
            }
        }
        throw new AssertionError("no mount at " + path + " in " + container.path("name").asText());
    }
}
