package io.nfvlab.cli.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.cli.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** nfvlab install / uninstall: the chart rendered by Helm as a library, printed, applied and removed. */
class InstallCommandTest {
    @TempDir
    Path dir;

    @Test
    void installPrintsTheChartAndEveryObjectParsesStrictlyIntoItsKind() {
        Result r = run("install", "--system-namespace", "lab-system");
        assertThat(r.code).as(r.err).isZero();
        List<HasMetadata> objects = Manifests.parse(r.out);
        assertThat(objects).extracting(HasMetadata::getKind)
                .startsWith("Namespace", "CustomResourceDefinition")
                .contains("Deployment", "DaemonSet", "ClusterRole", "ClusterRoleBinding", "Role", "ServiceAccount", "Service");
        assertThat(objects).filteredOn(o -> o instanceof CustomResourceDefinition).hasSize(5);
        // the chart's helm test Pod and its account run on `helm test` only
        assertThat(objects).noneMatch(o -> o.getMetadata().getAnnotations() != null && o.getMetadata().getAnnotations().containsKey("helm.sh/hook"))
                .noneMatch(o -> o.getKind().equals("Pod"));
        List<String> unknown = new ArrayList<>();
        for (HasMetadata o : objects) {
            // the models keep fields they do not know in additionalProperties: a real API server would drop or refuse them
            unknownFields(o, o.getKind() + "/" + o.getMetadata().getName(), unknown, new IdentityHashMap<>());
            if (o.getMetadata().getNamespace() != null) {
                assertThat(o.getMetadata().getNamespace()).isEqualTo("lab-system");
            }
        }
        assertThat(unknown).isEmpty();
        List<String> privileged = new ArrayList<>();
        for (HasMetadata o : objects) {
            PodSpec pod = o instanceof DaemonSet ds ? ds.getSpec().getTemplate().getSpec()
                    : o instanceof Deployment d ? d.getSpec().getTemplate().getSpec() : null;
            if (pod != null) {
                pod.getContainers().stream().filter(c -> c.getSecurityContext() != null && Boolean.TRUE.equals(c.getSecurityContext().getPrivileged()))
                        .forEach(c -> privileged.add(o.getMetadata().getName() + "/" + c.getName()));
            }
        }
        // the agent runs with named capabilities by default (security.agentPrivileged)
        assertThat(privileged).isEmpty();
    }

    @Test
    void wrongValuesAndUnreachableClustersAreOneLine() throws IOException {
        Result bad = run("install", "--set", "agent.image.pullPolicy=Sometimes");
        assertThat(bad.code).isEqualTo(2);
        assertThat(bad.err.strip()).startsWith("nfvlab: ").contains("pullPolicy").doesNotContain("\n");

        Path nowhere = dir.resolve("nowhere");
        Files.writeString(nowhere, kubeconfig("http://127.0.0.1:1", null));
        Result unreachable = run("install", "--apply", "--kubeconfig", nowhere.toString());
        assertThat(unreachable.code).isEqualTo(1);
        assertThat(unreachable.err.strip()).startsWith("nfvlab: ").contains("unreachable").doesNotContain("\n");
    }

    @Test
    void installAppliesAndUninstallRemovesEverything() throws IOException {
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            Config config = server.config();
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, kubeconfig(config.getMasterUrl(), config.getOauthToken()));
            Result install = run("install", "--apply", "--kubeconfig", kubeconfig.toString());
            assertThat(install.code).as(install.err).isZero();
            KubernetesClient client = server.client();
            assertThat(client.apps().daemonSets().inNamespace("nfvlab-system").withName("nfvlab-agent").get()).isNotNull();
            assertThat(client.apps().deployments().inNamespace("nfvlab-system").withName("nfvlab-operator").get()).isNotNull();
            assertThat(client.rbac().clusterRoles().withName("nfvlab-agent").get()).isNotNull();
            assertThat(client.resources(io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy.class)
                    .withName("nfvlab-agent-node-restriction").get()).isNotNull();

            Result again = run("install", "--apply", "--kubeconfig", kubeconfig.toString());
            assertThat(again.code).as("idempotent: " + again.err).isZero();

            Result uninstall = run("uninstall", "--kubeconfig", kubeconfig.toString());
            assertThat(uninstall.code).as(uninstall.err).isZero();
            assertThat(client.apps().daemonSets().inAnyNamespace().list().getItems()).isEmpty();
            assertThat(client.apps().deployments().inAnyNamespace().list().getItems()).isEmpty();
            assertThat(client.rbac().clusterRoles().list().getItems()).noneMatch(r -> r.getMetadata().getName().startsWith("nfvlab"));
            assertThat(client.rbac().clusterRoleBindings().list().getItems()).noneMatch(r -> r.getMetadata().getName().startsWith("nfvlab"));
            assertThat(client.resources(io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy.class).list().getItems()).isEmpty();
            assertThat(client.resources(io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding.class).list().getItems()).isEmpty();
            assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
                    .noneMatch(c -> c.getMetadata().getName().endsWith(".nfvlab.io"));
        }
    }

    @Test
    void uninstallWaitsForTheReleasesRunningPodsButNotForFinishedOnes() throws IOException {
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            Config config = server.config();
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, kubeconfig(config.getMasterUrl(), config.getOauthToken()));
            assertThat(run("install", "--apply", "--kubeconfig", kubeconfig.toString()).code).isZero();
            KubernetesClient client = server.client();
            client.pods().inNamespace("nfvlab-system").resource(pod("nfvlab-check", "Failed")).create();
            client.pods().inNamespace("nfvlab-system").resource(pod("nfvlab-agent-x1", "Running")).create();

            Result stuck = run("uninstall", "--kubeconfig", kubeconfig.toString(), "--timeout", "2");
            assertThat(stuck.code).isEqualTo(1);
            assertThat(stuck.err.strip()).contains("1 operator or agent pods still run after 2 s").doesNotContain("\n");

            client.pods().inNamespace("nfvlab-system").withName("nfvlab-agent-x1").delete();
            Result done = run("uninstall", "--kubeconfig", kubeconfig.toString(), "--timeout", "10");
            assertThat(done.code).as(done.err).isZero();
        }
    }

    private static io.fabric8.kubernetes.api.model.Pod pod(String name, String phase) {
        return new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(name).withNamespace("nfvlab-system")
                .addToLabels("app.kubernetes.io/instance", "nfvlab").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
    }

    @Test
    void uninstallStopsTheOperatorAndAgentsBeforeTheirAccountsAndRbacGo() {
        List<HasMetadata> order = UninstallCommand.deletionOrder(
                Manifests.render("nfvlab", "nfvlab-system", Map.of(), List.of(), Manifests.DEFAULT_KUBE_VERSION).objects());
        assertThat(order.subList(0, 2)).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("Deployment", "DaemonSet");
        assertThat(order.subList(2, order.size())).extracting(HasMetadata::getKind).doesNotContain("Deployment", "DaemonSet")
                .contains("ServiceAccount", "ClusterRoleBinding", "CustomResourceDefinition");
        assertThat(order.get(order.size() - 1).getKind()).isEqualTo("Namespace");
    }

    private static String kubeconfig(String server, String token) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "%s"}
                contexts:
                - name: c
                  context: {cluster: c, user: u}
                current-context: c
                users:
                - name: u
                  user: {%s}
                """.formatted(server, token == null ? "" : "token: " + token);
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** Walks the model's getters; any non-empty additionalProperties is a field the Kubernetes model does not know. */
    private static void unknownFields(Object value, String path, List<String> out, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object v : c) {
                unknownFields(v, path + "[" + i++ + "]", out, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, out, seen));
            return;
        }
        if (!(value instanceof KubernetesResource)) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object child = getter.invoke(value);
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        out.add(path + ": " + extra.keySet());
                    }
                } else {
                    unknownFields(child, path + "." + getter.getName().substring(3), out, seen);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // a computed getter that needs more state: not a field
            }
        }
    }
}
