package io.nfvlab.operator.traffic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.nfvlab.agent.ovsdpdk.DpdkBridges;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.bridge.DpdkBridgeSpec;
import io.nfvlab.api.bridge.NodeBridgeStatus;
import io.nfvlab.api.bridge.VhostUserPort;
import io.nfvlab.api.common.ObjectRef;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.PlacementSpec;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.PassCriteria;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.controller.OperatorConfig;
import io.nfvlab.operator.nodestate.AgentLeases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

/**
 * Records the objects the Argo CD health checks and the kstatus/Flux tests of the charts module read
 * ({@code charts/nfvlab/argocd/<group>/<Kind>/testdata/}): the real reconcilers and a real agent (in-memory dataplane)
 * on the in-process API server bring each kind into each state, and the objects are written as the server stores
 * them (minus managedFields). Run it again when a status changes shape:
 * <pre>
 * mvn -pl operator -am verify -Dtest=GitOpsFixtureRecorder -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dnfvlab.recordFixtures=$PWD/charts/nfvlab/argocd/nfvlab.io
 * </pre>
 */
@EnabledIfSystemProperty(named = "nfvlab.recordFixtures", matches = ".+")
class GitOpsFixtureRecorder {
    private static final String NS = "default";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    @Test
    void record() throws IOException {
        Path out = Path.of(System.getProperty("nfvlab.recordFixtures"));
        FakeDataplane fake = new FakeDataplane();
        ScriptedTrafficJobs jobs = new ScriptedTrafficJobs();
        DpdkBridges upBridges = new DpdkBridges() {
            @Override
            public List<NodeBridgeStatus> sync(NetworkNodeState state) {
                return state.getSpec().dpdkBridgesOrEmpty().stream().map(b -> NodeBridgeStatus.builder()
                        .node(state.getSpec().getNodeName()).bridgeName(b.getSpec().getBridgeName()).bridgeUp(true)
                        .ports(b.getSpec().getPorts().stream().map(p -> NodeBridgeStatus.PortStatus.builder().name(p.getName())
                                .socketPath("/var/run/nfvlab/dpdk/" + b.getSpec().getBridgeName() + "/" + p.getName())
                                .state("down").build()).toList()).build()).toList();
            }

            @Override
            public void teardown(NetworkNodeState state) {
            }
        };
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            KubernetesClient admin = server.client();
            // node-a runs an agent; node-p has a live agent Lease but its agent never reports (progressing)
            Agent agent = Agent.start(server.newClient(), AgentConfig.builder().nodeName("node-a").embedded(true)
                    .dataplane(fake).trafficJobs(jobs).dpdkBridges(upBridges).sweepOrphansOnStart(false)
                    .resyncInterval(Duration.ofSeconds(2)).trafficPollInterval(Duration.ofMillis(200)).build());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> admin.nodes().withName("node-a").get() != null);
            admin.nodes().withName("node-a").edit(n -> {
                n.getMetadata().getLabels().put("role", "fast");
                return n;
            });
            admin.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-p")
                    .addToLabels("role", "slow").endMetadata().build()).create();
            admin.leases().inNamespace(Nfvlab.DEFAULT_SYSTEM_NAMESPACE).resource(new LeaseBuilder().withNewMetadata()
                    .withName(AgentLeases.name("node-p")).withNamespace(Nfvlab.DEFAULT_SYSTEM_NAMESPACE).endMetadata()
                    .withNewSpec().withHolderIdentity("recorder").withLeaseDurationSeconds(3600)
                    .withRenewTime(ZonedDateTime.now()).withAcquireTime(ZonedDateTime.now()).endSpec().build()).create();
            NfvlabOperator operator = NfvlabOperator.start(server.newClient(), OperatorConfig.embeddedDefaults());
            try {
                Path vt = out.resolve("VirtualTopology/testdata");
                write(vt.resolve("ready.yaml"), created(admin, topology("linear-2", "fast", SwitchKind.LINUX_BRIDGE, null),
                        t -> ready(t.getStatus() == null ? null : t.getStatus().getConditions(), "True")));
                write(vt.resolve("progressing.yaml"), created(admin, topology("slow", "slow", SwitchKind.LINUX_BRIDGE, null),
                        t -> reason(t.getStatus() == null ? null : t.getStatus().getConditions(), "Progressing")));
                fake.kernel("node-a").setOvsAvailable(false);
                write(vt.resolve("degraded.yaml"), created(admin, topology("ovs-down", "fast", SwitchKind.OVS, null),
                        t -> reason(t.getStatus() == null ? null : t.getStatus().getConditions(), "Degraded")));
                write(vt.resolve("invalid.yaml"), created(admin, topology("bad-link", "fast", SwitchKind.LINUX_BRIDGE, "s9"),
                        t -> reason(t.getStatus() == null ? null : t.getStatus().getConditions(), "InvalidSpec")));
                write(vt.resolve("unschedulable.yaml"), created(admin, topology("nowhere", "none", SwitchKind.LINUX_BRIDGE, null),
                        t -> ready(t.getStatus() == null ? null : t.getStatus().getConditions(), "True", "Stalled")));
                write(out.resolve("NetworkNodeState/testdata/synced.yaml"), awaitGet(() -> state(admin, "linear-2"),
                        s -> s.getStatus() != null && ready(s.getStatus().getConditions(), "True", "Synced")));
                write(out.resolve("NetworkNodeState/testdata/errors.yaml"), awaitGet(() -> state(admin, "ovs-down"),
                        s -> s.getStatus() != null && s.getStatus().getErrors() != null && !s.getStatus().getErrors().isEmpty()));
                write(out.resolve("NetworkNodeState/testdata/pending.yaml"), awaitGet(() -> state(admin, "slow"), s -> true));

                Path tt = out.resolve("TrafficTest/testdata");
                write(tt.resolve("succeeded.yaml"), created(admin, test("pingall", "linear-2", TrafficTestSpec.builder().type(TrafficType.PINGALL)),
                        t -> t.getStatus() != null && t.getStatus().getPhase() == io.nfvlab.api.traffic.TrafficTestStatus.Phase.SUCCEEDED));
                jobs.cut.add("h1>h2");
                write(tt.resolve("failed.yaml"), created(admin, test("lossy", "linear-2", TrafficTestSpec.builder().type(TrafficType.PINGALL)
                                .passCriteria(PassCriteria.builder().maxLossPercent(0.0).build())),
                        t -> t.getStatus() != null && t.getStatus().getPhase() == io.nfvlab.api.traffic.TrafficTestStatus.Phase.FAILED));
                write(tt.resolve("pending.yaml"), created(admin, test("waiting", "slow", TrafficTestSpec.builder().type(TrafficType.PINGALL)),
                        t -> t.getStatus() != null && t.getStatus().getPhase() == io.nfvlab.api.traffic.TrafficTestStatus.Phase.PENDING));
                write(tt.resolve("timed-out.yaml"), created(admin, test("too-slow", "slow", TrafficTestSpec.builder().type(TrafficType.PINGALL)
                                .timeoutSeconds(2)),
                        t -> t.getStatus() != null && t.getStatus().getPhase() == io.nfvlab.api.traffic.TrafficTestStatus.Phase.FAILED));
                write(tt.resolve("invalid.yaml"), created(admin, test("no-such-host", "linear-2", TrafficTestSpec.builder().type(TrafficType.IPERF)
                                .source("h9")),
                        t -> t.getStatus() != null && t.getStatus().getPhase() == io.nfvlab.api.traffic.TrafficTestStatus.Phase.FAILED));

                Path db = out.resolve("DpdkBridge/testdata");
                write(db.resolve("ready.yaml"), created(admin, bridge("dpdk0", Map.of("role", "fast"), "vhu7"),
                        b -> b.getStatus() != null && ready(b.getStatus().getConditions(), "True")));
                write(db.resolve("progressing.yaml"), created(admin, bridge("dpdk1", Map.of("role", "slow"), "vhu0"),
                        b -> b.getStatus() != null && reason(b.getStatus().getConditions(), "Applying")));
                write(db.resolve("no-nodes.yaml"), created(admin, bridge("dpdk2", Map.of("role", "none"), "vhu0"),
                        b -> b.getStatus() != null && reason(b.getStatus().getConditions(), "NoMatchingNodes")));
                DpdkBridge invalid = bridge("dpdk3", Map.of(), "vhu0");
                invalid.getSpec().setFlows(io.nfvlab.api.bridge.FlowSpec.builder().mode(io.nfvlab.api.bridge.FlowSpec.Mode.PORT_PAIRS)
                        .pairs(List.of(new io.nfvlab.api.bridge.FlowSpec.PortPair("vhu0", "vhu7"))).build());
                write(db.resolve("invalid.yaml"), created(admin, invalid,
                        b -> b.getStatus() != null && reason(b.getStatus().getConditions(), "InvalidSpec")));
            } finally {
                operator.close();
                agent.close();
            }
        }
    }

    private static boolean ready(List<io.fabric8.kubernetes.api.model.Condition> conditions, String status) {
        return ready(conditions, status, "Ready");
    }

    private static boolean ready(List<io.fabric8.kubernetes.api.model.Condition> conditions, String status, String type) {
        return conditions != null && conditions.stream().anyMatch(c -> type.equals(c.getType()) && status.equals(c.getStatus()));
    }

    private static boolean reason(List<io.fabric8.kubernetes.api.model.Condition> conditions, String reason) {
        return conditions != null && conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && reason.equals(c.getReason()));
    }

    private static NetworkNodeState state(KubernetesClient admin, String owner) {
        return admin.resources(NetworkNodeState.class).withLabel(Nfvlab.OWNER_NAME_LABEL, owner).list().getItems()
                .stream().findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> T created(KubernetesClient admin, T object, Predicate<T> done) {
        admin.resource(object).create();
        Class<T> type = (Class<T>) object.getClass();
        return awaitGet(() -> object.getMetadata().getNamespace() == null
                ? admin.resources(type).withName(object.getMetadata().getName()).get()
                : admin.resources(type).inNamespace(object.getMetadata().getNamespace()).withName(object.getMetadata().getName()).get(), done);
    }

    private static <T> T awaitGet(Supplier<T> get, Predicate<T> done) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            T t = get.get();
            return t != null && done.test(t);
        });
        return get.get();
    }

    private static void write(Path file, HasMetadata object) throws IOException {
        ObjectNode tree = YAML.valueToTree(object);
        ObjectNode metadata = (ObjectNode) tree.get("metadata");
        metadata.remove("managedFields");
        dropNulls(tree);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "# recorded by GitOpsFixtureRecorder (operator module) from the in-process API server\n"
                + YAML.writeValueAsString(tree));
    }

    /** A real API server drops nulls of non-nullable fields; the model's serialization writes them. */
    private static void dropNulls(com.fasterxml.jackson.databind.JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> nulls = new java.util.ArrayList<>();
            object.fields().forEachRemaining(f -> {
                if (f.getValue().isNull()) {
                    nulls.add(f.getKey());
                } else {
                    dropNulls(f.getValue());
                }
            });
            object.remove(nulls);
        } else if (node.isArray()) {
            node.forEach(GitOpsFixtureRecorder::dropNulls);
        }
    }

    private static VirtualTopology topology(String name, String role, SwitchKind kind, String badLink) {
        VirtualTopology vt = new VirtualTopology();
        vt.getMetadata().setName(name);
        vt.getMetadata().setNamespace(NS);
        vt.setSpec(io.nfvlab.api.topology.VirtualTopologySpec.builder()
                .topology(io.nfvlab.api.topology.BuiltinTopology.builder().type("linear").k(2).build())
                .switchKind(kind)
                .placement(PlacementSpec.builder().nodeSelector(Map.of("role", role)).build())
                .build());
        if (badLink != null) {
            vt.getSpec().setTopology(null);
            vt.getSpec().setHosts(List.of(HostSpec.builder().name("h1").build()));
            vt.getSpec().setLinks(List.of(LinkSpec.builder().a("h1").b(badLink).build()));
        }
        return vt;
    }

    private static TrafficTest test(String name, String topology, TrafficTestSpec.TrafficTestSpecBuilder spec) {
        TrafficTest t = new TrafficTest();
        t.getMetadata().setName(name);
        t.getMetadata().setNamespace(NS);
        t.setSpec(spec.topologyRef(ObjectRef.builder().name(topology).build()).build());
        return t;
    }

    private static DpdkBridge bridge(String name, Map<String, String> nodeSelector, String port) {
        DpdkBridge b = new DpdkBridge();
        b.getMetadata().setName(name);
        b.setSpec(DpdkBridgeSpec.builder().bridgeName("br-" + name).nodeSelector(nodeSelector)
                .port(VhostUserPort.builder().name(port).build()).build());
        return b;
    }
}
