package io.nfvlab.operator.topology;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import io.nfvlab.agent.kernel.linux.LinuxKernel;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.expansion.LinkProfiles;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.profile.LinkProfile;
import io.nfvlab.api.profile.LinkProfileSpec;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.topology.VirtualTopologyStatus;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.controller.OperatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A LinkProfile shapes a running link: the operator against the in-process API server and the real agent in the real
 * kernel (namespaces, a Linux bridge, the delay line), measured with ping between the topology's own namespaces. h1's
 * link names the profile; h2's link has no parameters, so the round trip h1 → h2 is twice the profile's delay. The
 * bounds are wide: they tell a 20 ms link from a 50 ms one and from an unshaped one, not a benchmark.
 */
class LinkProfileIT {
    private static final String NS = "default";
    private static final Pattern RTT_AVG = Pattern.compile("= [0-9.]+/([0-9.]+)/[0-9.]+/[0-9.]+ ms");
    private final String tag = "lpf" + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt(256));
    private final String node = tag + "-node";
    private final String topology = tag + "t";
    private final String profile = tag + "-wan";
    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private NfvlabOperator operator;
    private Agent agent;

    @BeforeEach
    void start() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create namespaces, bridges and qdiscs");
        run("ip", "netns", "add", node);
        server = EmbeddedApiServer.start();
        admin = server.client();
        agent = Agent.start(server.newClient(), AgentConfig.builder().nodeName(node).embedded(true).metricsPort(-1)
                .dataplane(LinuxKernel.dataplane()).nodeNetns(node).resyncInterval(Duration.ofSeconds(5)).build());
        operator = NfvlabOperator.start(server.newClient(), OperatorConfig.embeddedDefaults());
    }

    @AfterEach
    void stop() {
        try {
            if (admin != null) {
                admin.resources(VirtualTopology.class).inNamespace(NS).withName(topology).delete();
                await().atMost(Duration.ofSeconds(40)).until(() -> admin.resources(NetworkNodeState.class).list().getItems().isEmpty());
            }
        } finally {
            if (operator != null) {
                operator.close();
            }
            if (agent != null) {
                agent.close();
            }
            if (server != null) {
                server.close();
            }
            CommandRunner.run(List.of("ip", "netns", "del", node), Duration.ofSeconds(10));
        }
        String prefix = Nfvlab.NETNS_PREFIX + KernelNames.token("VirtualTopology", NS, topology) + "-";
        List<String> left = CommandRunner.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).stdout().lines()
                .filter(l -> l.startsWith(node) || l.startsWith(prefix)).toList();
        assertThat(left).as("namespaces left behind").isEmpty();
    }

    @Test
    void aProfileShapesItsLinkAChangeReshapesItInPlaceAndDeletingItIsNamedUntilItComesBack() {
        createProfile("20ms");
        createTopology();
        VirtualTopology ready = awaitTopology(t -> ready(t) && profileDelay(t, "20ms"));
        VirtualTopologyStatus.HostStatus h1 = host(ready, "h1");
        String h2 = host(ready, "h2").getAddress();
        String before = identity(h1.getNetns());

        double rtt20 = rttMs(h1.getNetns(), h2);
        System.out.printf("LinkProfileIT: profile delay 20ms: ping RTT avg %.1f ms%n", rtt20);
        assertThat(rtt20).as("round trip over a 20 ms link and an unshaped one").isBetween(35.0, 150.0);

        // change the profile only: the topology's spec (and generation) stays as it is
        long generation = ready.getMetadata().getGeneration();
        admin.resources(LinkProfile.class).withName(profile).edit(p -> {
            p.getSpec().setDelay("50ms");
            return p;
        });
        VirtualTopology reshaped = awaitTopology(t -> ready(t) && profileDelay(t, "50ms"));
        assertThat(reshaped.getMetadata().getGeneration()).isEqualTo(generation);
        double rtt50 = rttMs(h1.getNetns(), h2);
        System.out.printf("LinkProfileIT: profile delay 50ms: ping RTT avg %.1f ms%n", rtt50);
        assertThat(rtt50).as("round trip over a 50 ms link").isBetween(95.0, 250.0).isGreaterThan(rtt20 + 30);
        assertThat(identity(h1.getNetns())).as("h1's namespace and interface, not recreated").isEqualTo(before);

        admin.resources(LinkProfile.class).withName(profile).delete();
        VirtualTopology missing = awaitTopology(t -> reason(t).equals(LinkProfiles.PROFILE_NOT_FOUND));
        var condition = Conditions.find(missing.getStatus().getConditions(), Conditions.READY).orElseThrow();
        assertThat(condition.getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(condition.getMessage()).contains("spec.links[0].profiles[0]: link h1-s1 names LinkProfile " + profile
                + ", which does not exist");

        createProfile("20ms");
        awaitTopology(t -> ready(t) && profileDelay(t, "20ms"));
        assertThat(identity(h1.getNetns())).isEqualTo(before);
    }

    private void createProfile(String delay) {
        LinkProfile p = new LinkProfile();
        p.getMetadata().setName(profile);
        p.setSpec(LinkProfileSpec.builder().delay(delay).build());
        admin.resource(p).create();
    }

    private void createTopology() {
        VirtualTopology vt = new VirtualTopology();
        vt.getMetadata().setName(topology);
        vt.getMetadata().setNamespace(NS);
        vt.setSpec(VirtualTopologySpec.builder()
                .host(HostSpec.builder().name("h1").build())
                .host(HostSpec.builder().name("h2").build())
                .switchSpec(SwitchSpec.builder().name("s1").build())
                .link(LinkSpec.builder().a("h1").b("s1").profiles(List.of(profile)).build())
                .link(LinkSpec.builder().a("h2").b("s1").build())
                .build());
        admin.resource(vt).create();
    }

    private VirtualTopology awaitTopology(Predicate<VirtualTopology> condition) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            VirtualTopology t = admin.resources(VirtualTopology.class).inNamespace(NS).withName(topology).get();
            return t != null && t.getStatus() != null && condition.test(t);
        });
        return admin.resources(VirtualTopology.class).inNamespace(NS).withName(topology).get();
    }

    private static boolean ready(VirtualTopology t) {
        return Conditions.isTrue(t.getStatus().getConditions(), Conditions.READY);
    }

    private static String reason(VirtualTopology t) {
        return Conditions.find(t.getStatus().getConditions(), Conditions.READY).map(c -> c.getReason()).orElse("");
    }

    private boolean profileDelay(VirtualTopology t, String delay) {
        return t.getStatus().getProfiles() != null && t.getStatus().getProfiles().stream()
                .anyMatch(p -> p.getName().equals(profile) && delay.equals(p.getValues().getDelay()));
    }

    private static VirtualTopologyStatus.HostStatus host(VirtualTopology t, String name) {
        return t.getStatus().getHostAddresses().stream().filter(h -> h.getName().equals(name)).findFirst().orElseThrow();
    }

    /** The namespace's inode and its eth0's index: both change when the host is recreated. */
    private static String identity(String netns) {
        String inode = CommandRunner.run(List.of("stat", "-L", "-c", "%i", "/run/netns/" + netns), Duration.ofSeconds(5)).orThrow().stdout().strip();
        String link = CommandRunner.run(List.of("ip", "-n", netns, "-o", "link", "show", "h1-eth0"), Duration.ofSeconds(5)).orThrow().stdout();
        return inode + " " + link.substring(0, link.indexOf(':'));
    }

    private static double rttMs(String netns, String address) {
        CommandRunner.Result r = CommandRunner.run(List.of("ip", "netns", "exec", netns, "ping", "-c", "5", "-i", "0.2", "-W", "2", "-q",
                address), Duration.ofSeconds(20));
        Matcher m = RTT_AVG.matcher(r.stdout());
        assertThat(m.find()).as("ping summary in: " + r.stdout() + r.stderr()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static void run(String... argv) {
        CommandRunner.run(List.of(argv), Duration.ofSeconds(10)).orThrow();
    }
}
