package io.nfvlab.cli.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.PlacementSpec;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.controller.OperatorConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chart's RBAC is enough for what the operator and the agent really do: both run against the in-process API
 * server through clients that record every request, a topology spread over two agent nodes is built and deleted, then
 * one with container hosts (the operator creates, reads and deletes Pods), and every request (verb, group, resource,
 * subresource, namespace) must be allowed by the rules the rendered chart binds to that component's ServiceAccount.
 * Least privilege must not break the components (ChartLeastPrivilegeTest checks the other direction: nothing more
 * than that).
 * <p>Not seen here: the agent's Lease renewals and release (a second client it builds itself, without retries; the
 * same verbs on the same Lease as its acquisition, which is seen), leader election (off in embedded mode) and
 * server-side apply (the in-process server has none; an apply is a PATCH as well).
 */
class ChartRbacCoversTheComponentsTest {
    private static final String NS = Nfvlab.DEFAULT_SYSTEM_NAMESPACE;

    /** One API request, as RBAC sees it. */
    record Access(String verb, String group, String resource, String namespace) {
        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource + (namespace == null ? "" : " in " + namespace);
        }
    }

    @Test
    void everyRequestOfTheOperatorAndTheAgentIsAllowedByTheChart() {
        Manifests chart = Manifests.render("lab", NS, Map.of(), List.of(), Manifests.DEFAULT_KUBE_VERSION);
        Set<Access> byOperator = ConcurrentHashMap.newKeySet();
        Set<Access> byAgents = ConcurrentHashMap.newKeySet();
        List<AutoCloseable> open = new ArrayList<>();
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            KubernetesClient admin = server.client();
            for (String node : List.of("node-a", "node-b")) {
                // the kubelet registers the Node; the agent only checks that it exists
                admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
            }
            KubernetesClient operatorClient = recording(server, byOperator);
            open.add(operatorClient);
            for (String node : List.of("node-a", "node-b")) {
                KubernetesClient agentClient = recording(server, byAgents);
                open.add(agentClient);
                // agents of a cluster node: container hosts there are Pods (the operator's pod rights are exercised)
                FakeDataplane fake = new FakeDataplane();
                // no CNI ADD comes here, so nothing is ever written below this directory
                io.nfvlab.agent.container.PodSandboxes sandboxes = new io.nfvlab.agent.container.PodSandboxes(
                        java.nio.file.Path.of("target", "rbac-pod-sandboxes", node));
                open.add(Agent.start(agentClient, AgentConfig.builder().nodeName(node).underlayAddress(node.equals("node-a") ? "192.0.2.1" : "192.0.2.2")
                        .embedded(true).dataplane((n, netns) -> new io.nfvlab.agent.kernel.KernelDataplane(n, fake.kernel(n).ops(), true,
                                new io.nfvlab.agent.container.KubeletPods(n, sandboxes)))
                        .podSandboxes(sandboxes).sweepOrphansOnStart(false).build()));
            }
            NfvlabOperator operator = NfvlabOperator.start(operatorClient, OperatorConfig.embeddedDefaults());
            open.add(0, operator);

            VirtualTopology vt = new VirtualTopology();
            vt.getMetadata().setName("rbac");
            vt.getMetadata().setNamespace("default");
            vt.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("linear,4").build())
                    .placement(PlacementSpec.builder().strategy(PlacementSpec.Strategy.SPREAD).build()).build());
            readyThenDeleted(admin, vt);

            // container hosts on a cluster: a Pod created for a templated host, a referenced pod read for its node,
            // and the Pod deleted with the topology (no kubelet here: the hosts never get a sandbox)
            admin.pods().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                    .withName("existing").endMetadata().withNewSpec().withNodeName("node-b").addNewContainer().withName("c")
                    .withImage("localhost/app:1").endContainer().endSpec().build()).create();
            VirtualTopology pods = new VirtualTopology();
            pods.getMetadata().setName("pods");
            pods.getMetadata().setNamespace("default");
            pods.setSpec(VirtualTopologySpec.builder()
                    .host(io.nfvlab.api.topology.HostSpec.builder().name("r1").pod(io.nfvlab.api.topology.PodHostSpec.builder()
                            .template(io.nfvlab.api.topology.PodTemplate.builder().image("localhost/frr:1").build()).build()).build())
                    .host(io.nfvlab.api.topology.HostSpec.builder().name("r2").pod(io.nfvlab.api.topology.PodHostSpec.builder()
                            .podRef("existing").build()).build())
                    .link(io.nfvlab.api.topology.LinkSpec.builder().a("r1").b("r2").build()).build());
            admin.resource(pods).create();
            await().atMost(Duration.ofSeconds(40)).until(() -> admin.pods().inNamespace("default").withName("pods-r1").get() != null);
            admin.resource(pods).delete();
            await().atMost(Duration.ofSeconds(40)).until(() -> admin.resource(pods).get() == null);
        } finally {
            closeAll(open);
        }
        assertThat(byAgents).as("the agents' requests were recorded")
                .contains(new Access("patch", Nfvlab.GROUP, "networknodestates/status", null));
        assertThat(byOperator).contains(new Access("create", Nfvlab.GROUP, "networknodestates", null));
        assertThat(byOperator).as("the pod rights were exercised").contains(new Access("create", "", "pods", "default"),
                new Access("delete", "", "pods", "default"), new Access("get", "", "pods", "default"));

        assertThat(denied(byOperator, chart, "nfvlab-operator")).as("operator requests the chart does not allow").isEmpty();
        assertThat(denied(byAgents, chart, "nfvlab-agent")).as("agent requests the chart does not allow").isEmpty();
    }

    @Test
    void withoutPodHostsTheOperatorNeedsNoPodRightsAndItsArgumentSaysSo() {
        // podHosts.enabled=false takes the operator's pod rights away: it must then reconcile without touching a Pod
        Manifests chart = Manifests.render("lab", NS, Map.of("podHosts.enabled", "false"), List.of(), Manifests.DEFAULT_KUBE_VERSION);
        assertThat(chart.objects()).filteredOn(o -> o instanceof io.fabric8.kubernetes.api.model.apps.Deployment)
                .singleElement().satisfies(d -> assertThat(((io.fabric8.kubernetes.api.model.apps.Deployment) d).getSpec()
                        .getTemplate().getSpec().getContainers().get(0).getArgs()).contains("--no-pod-hosts"));
        Set<Access> byOperator = ConcurrentHashMap.newKeySet();
        List<AutoCloseable> open = new ArrayList<>();
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            KubernetesClient admin = server.client();
            admin.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-a").endMetadata().build()).create();
            KubernetesClient agentClient = server.newClient();
            open.add(agentClient);
            open.add(Agent.start(agentClient, AgentConfig.builder().nodeName("node-a").underlayAddress("192.0.2.1").embedded(true)
                    .dataplane(new FakeDataplane()).sweepOrphansOnStart(false).build()));
            KubernetesClient operatorClient = recording(server, byOperator);
            open.add(operatorClient);
            open.add(0, NfvlabOperator.start(operatorClient, OperatorConfig.builder().embedded(true).podHosts(false).build()));

            VirtualTopology vt = new VirtualTopology();
            vt.getMetadata().setName("no-pods");
            vt.getMetadata().setNamespace("default");
            vt.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("linear,2").build()).build());
            readyThenDeleted(admin, vt);
        } finally {
            closeAll(open);
        }
        assertThat(byOperator).contains(new Access("create", Nfvlab.GROUP, "networknodestates", null));
        assertThat(byOperator).noneMatch(a -> a.resource().equals("pods"));
        assertThat(denied(byOperator, chart, "nfvlab-operator")).as("operator requests the chart does not allow").isEmpty();
    }

    /** Creates {@code vt}, waits until it is Ready, deletes it and waits until it is gone. */
    private static void readyThenDeleted(KubernetesClient admin, VirtualTopology vt) {
        admin.resource(vt).create();
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            VirtualTopology t = admin.resource(vt).get();
            return t.getStatus() != null && Conditions.isTrue(t.getStatus().getConditions(), Conditions.READY);
        });
        admin.resource(vt).delete();
        await().atMost(Duration.ofSeconds(40)).until(() -> admin.resource(vt).get() == null);
    }

    private static void closeAll(List<AutoCloseable> open) {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                // closing after the server: nothing left to tell it
            }
        }
    }

    private static KubernetesClient recording(EmbeddedApiServer server, Set<Access> into) {
        return new KubernetesClientBuilder().withConfig(server.config())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("rbac-recorder", new Interceptor() {
                    @Override
                    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        Access a = access(request.method(), request.uri().getPath(), request.uri().getQuery());
                        if (a != null) {
                            into.add(a);
                        }
                    }
                }))
                .build();
    }

    /** The RBAC view of a request, or null for a non-resource URL (discovery, /version: allowed to everyone). */
    static Access access(String method, String path, String query) {
        String[] s = path.replaceAll("^/+", "").split("/");
        int i;
        String group;
        if (s.length >= 3 && s[0].equals("api")) {
            group = "";
            i = 2;
        } else if (s.length >= 4 && s[0].equals("apis")) {
            group = s[1];
            i = 3;
        } else {
            return null;
        }
        String namespace = null;
        if (s.length > i + 2 && s[i].equals("namespaces")) {
            namespace = s[i + 1];
            i += 2;
        }
        String resource = s[i];
        boolean named = s.length > i + 1;
        if (s.length > i + 2) {
            resource += "/" + s[i + 2];
        }
        boolean watch = query != null && query.contains("watch=true");
        String verb = switch (method) {
            case "GET" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase();
        };
        return new Access(verb, group, resource, namespace);
    }

    private static Set<String> denied(Set<Access> accesses, Manifests chart, String serviceAccount) {
        List<PolicyRule> clusterWide = new ArrayList<>();
        Map<String, List<PolicyRule>> inNamespace = new ConcurrentHashMap<>();
        for (HasMetadata o : chart.objects()) {
            if (o instanceof ClusterRoleBinding b && b.getSubjects().stream().anyMatch(s -> serviceAccount.equals(s.getName()))) {
                clusterRole(chart, b.getRoleRef().getName()).forEach(clusterWide::add);
            } else if (o instanceof RoleBinding b && b.getSubjects().stream().anyMatch(s -> serviceAccount.equals(s.getName()))) {
                inNamespace.computeIfAbsent(b.getMetadata().getNamespace(), k -> new ArrayList<>())
                        .addAll(role(chart, b.getRoleRef().getName(), b.getMetadata().getNamespace()));
            }
        }
        Set<String> out = new TreeSet<>();
        for (Access a : accesses) {
            boolean allowed = clusterWide.stream().anyMatch(r -> allows(r, a))
                    || (a.namespace() != null && inNamespace.getOrDefault(a.namespace(), List.of()).stream().anyMatch(r -> allows(r, a)));
            if (!allowed) {
                out.add(a.toString());
            }
        }
        return out;
    }

    private static boolean allows(PolicyRule rule, Access a) {
        return rule.getApiGroups().contains(a.group()) && rule.getResources().contains(a.resource()) && rule.getVerbs().contains(a.verb())
                && (rule.getResourceNames() == null || rule.getResourceNames().isEmpty());
    }

    private static List<PolicyRule> clusterRole(Manifests chart, String name) {
        return chart.objects().stream().filter(o -> o instanceof ClusterRole && o.getMetadata().getName().equals(name))
                .flatMap(o -> ((ClusterRole) o).getRules().stream()).toList();
    }

    private static List<PolicyRule> role(Manifests chart, String name, String namespace) {
        return chart.objects().stream().filter(o -> o instanceof Role && o.getMetadata().getName().equals(name)
                        && namespace.equals(o.getMetadata().getNamespace()))
                .flatMap(o -> ((Role) o).getRules().stream()).toList();
    }
}
