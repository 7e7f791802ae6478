package io.nfvlab.agent.container;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nfvlab.agent.kernel.KernelDataplane;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.kernel.linux.KernelFixture;
import io.nfvlab.agent.kernel.linux.LinuxKernel;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.agent.traffic.dispatch.ProcessTrafficJobs;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.NetworkNodeStateStatus.ItemError;
import io.nfvlab.api.node.PlannedHost;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJob.JobPair;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.node.TrafficJobResult.JobPhase;
import io.nfvlab.api.traffic.TrafficSummary;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.kinds.TrafficKinds;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.PodHostSpec;
import io.nfvlab.api.topology.PodTemplate;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopologySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Container hosts with the real podman, kernel and OVS: two busybox containers and a namespace host on one switch,
 * the containers also linked to each other directly (their eth2). Pingall, a shaped link measured, a container restart
 * repaired, an image that is not there and a container that exits reported against their host, and a teardown that
 * leaves no container, veth or namespace. Names carry the prefix "pods-" and the random owner token of each test.
 */
class ContainerHostsIT {
    private static final String NODE = "pods-it-node";
    private static final double DELAY_MS = 10;
    private static final double RATE_MBPS = 20;
    private static PodmanLab podman;
    private KernelDataplane dataplane;
    private NetworkNodeState state;
    private String token;

    @BeforeAll
    static void podman() throws Exception {
        podman = PodmanLab.open();
    }

    @AfterAll
    static void removeStore() {
        if (podman != null) {
            podman.close();
        }
    }

    @AfterEach
    void tearDown() {
        if (dataplane == null) {
            return;
        }
        if (state != null) {
            dataplane.teardown(state);
            assertThat(leftovers()).as("kernel objects left by " + token).isEmpty();
            assertThat(podman.containersOf(token)).as("containers left by " + token).isEmpty();
        }
        dataplane.close();
    }

    private static PodHostSpec busybox() {
        return PodHostSpec.builder().template(PodTemplate.builder().image(PodmanLab.IMAGE).build()).build();
    }

    /** c1, c2 (containers) and h3 (namespace) on s1; c2's link shaped; c1-c2 directly (eth2 on both). */
    private static VirtualTopologySpec.VirtualTopologySpecBuilder mixed(SwitchKind kind, PodHostSpec c1) {
        return VirtualTopologySpec.builder()
                .host(HostSpec.builder().name("c1").pod(c1).build())
                .host(HostSpec.builder().name("c2").pod(busybox()).build())
                .host(HostSpec.builder().name("h3").build())
                .switchSpec(SwitchSpec.builder().name("s1").kind(kind).build())
                .link(LinkSpec.builder().a("c1").b("s1").build())
                .link(LinkSpec.builder().a("c2").b("s1").delay((int) DELAY_MS + "ms").bandwidthMbps(RATE_MBPS).build())
                .link(LinkSpec.builder().a("h3").b("s1").build())
                .link(LinkSpec.builder().a("c1").b("c2").build());
    }

    private SyncReport start(VirtualTopologySpec spec) {
        String name = "pods-" + UUID.randomUUID().toString().substring(0, 6);
        state = OneNodePlans.state(name, NODE, spec);
        token = state.getSpec().getOwner().getToken();
        dataplane = new KernelDataplane(NODE, LinuxKernel.ops(null), true, podman.runtime);
        return dataplane.sync(state);
    }

    @ParameterizedTest
    @EnumSource(value = SwitchKind.class, names = {"LINUX_BRIDGE", "OVS"})
    void containersAndANamespaceHostPingEachOtherAndTheShapedLinkIsMeasured(SwitchKind kind) throws Exception {
        if (kind == SwitchKind.OVS) {
            assumeTrue(CommandRunner.run(List.of("ovs-vsctl", "--timeout=3", "show"), Duration.ofSeconds(5)).ok(),
                    "OVS is not running (scripts/setup-host.sh starts it)");
        }
        SyncReport first = start(mixed(kind, busybox()).build());
        assertThat(first.errors()).isEmpty();
        assertThat(first.hostsReady()).isEqualTo(3);
        assertThat(first.linksReady()).isEqualTo(4);
        SyncReport second = dataplane.sync(state);
        assertThat(second.actionsByType()).as("an unchanged plan changes nothing").isEmpty();

        // inside the container its links are eth1 and eth2, next to nothing but lo (podman's --network none)
        String links = PodmanLab.check(podman.argv("exec", container("c1"), "ip", "-o", "link")).stdout();
        assertThat(links).contains(" eth1@", " eth2@").doesNotContain("c1-eth");
        String addr = PodmanLab.check(podman.argv("exec", container("c1"), "ip", "-o", "-4", "addr", "show", "eth1")).stdout();
        assertThat(addr).contains("10.0.0.1/8");

        TrafficJobResult all = traffic(TrafficType.PINGALL, allPairs());
        assertThat(TrafficSummary.pingResults(all.getResults())).isEqualTo("Results: 0% dropped (6/6 received)");

        // h3 -> c2 crosses the shaped link once each way; as Mininet's TCLink, the delay applies in each direction
        TrafficJobResult ping = traffic(TrafficType.PING, List.of(pair("h3", "c2")));
        double rtt = ping.getResults().get(0).getRttAvgMs();
        System.out.printf("%s: h3 -> c2 rtt %.2f ms over a %s ms link%n", kind, rtt, DELAY_MS);
        assertThat(rtt).as("rtt over a link delayed %s ms each way", DELAY_MS).isBetween(2 * DELAY_MS * 0.95, 2 * DELAY_MS + 15);
        double mbps = iperf("c2", "h3");
        System.out.printf("%s: h3 -> c2 %.1f Mbit/s over a %s Mbit/s link%n", kind, mbps, RATE_MBPS);
        assertThat(mbps).as("TCP over a %s Mbit/s link", RATE_MBPS).isBetween(RATE_MBPS * 0.5, RATE_MBPS * 1.15);
    }

    @Test
    void aRestartedContainerGetsItsLinksAgain() {
        assertThat(start(mixed(SwitchKind.LINUX_BRIDGE, busybox()).build()).errors()).isEmpty();
        PodmanLab.check(podman.argv("restart", "-t", "0", container("c1")));
        SyncReport repaired = dataplane.sync(state);
        assertThat(repaired.errors()).isEmpty();
        assertThat(repaired.actionsByType()).containsKey("VethAdd");
        String links = PodmanLab.check(podman.argv("exec", container("c1"), "ip", "-o", "link")).stdout();
        assertThat(links).contains(" eth1@", " eth2@");
        TrafficJobResult all = traffic(TrafficType.PINGALL, allPairs());
        assertThat(TrafficSummary.pingResults(all.getResults())).isEqualTo("Results: 0% dropped (6/6 received)");
    }

    @Test
    void anImageThatIsNotThereFailsItsHostAndItsLinksAndLeavesTheRestWorking() {
        PodHostSpec missing = PodHostSpec.builder().template(PodTemplate.builder().image("localhost/nfvlab-not-there:1")
                .build()).build();
        SyncReport r = start(mixed(SwitchKind.LINUX_BRIDGE, missing).build());
        assertThat(r.errors()).extracting(ItemError::getItem)
                .containsExactlyInAnyOrder("hosts/c1", "links/c1-eth1~s1-eth1", "links/c1-eth2~c2-eth2");
        assertThat(error(r, "hosts/c1")).contains("host c1", "localhost/nfvlab-not-there:1", "not on this node");
        assertThat(r.hostsReady()).isEqualTo(2);
        assertThat(r.linksReady()).isEqualTo(2);
        assertThat(rootDevice(0)).as("no half-built link of c1").isFalse();
        assertThat(podman.containersOf(token)).containsExactly(container("c2"));
        TrafficJobResult ping = traffic(TrafficType.PINGPAIR, List.of(pair("h3", "c2"), pair("c2", "h3")));
        assertThat(TrafficSummary.pingResults(ping.getResults())).isEqualTo("Results: 0% dropped (2/2 received)");
    }

    @Test
    void aContainerThatExitsIsReportedAgainstItsHostAndItsLinksAreRemoved() {
        PodHostSpec exits = PodHostSpec.builder().template(PodTemplate.builder().image(PodmanLab.IMAGE)
                .command("/bin/sh").arg("-c").arg("sleep 1; exit 3").build()).build();
        start(mixed(SwitchKind.LINUX_BRIDGE, exits).build());
        List<SyncReport> last = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
            last.add(0, dataplane.sync(state));
            String e = error(last.get(0), "hosts/c1");
            return e != null && e.contains("not running");
        });
        SyncReport r = last.get(0);
        assertThat(error(r, "hosts/c1")).contains("c1", "not running", "exited with code 3");
        assertThat(error(r, "links/c1-eth1~s1-eth1")).contains("container host c1 is not running");
        assertThat(rootDevice(0)).as("c1's link removed").isFalse();
        assertThat(r.hostsReady()).isEqualTo(2);
    }

    @Test
    void aReferencedContainerGetsTheLinksAndKeepsRunningWithoutThemAfterTeardown() {
        String existing = "pods-ref-" + UUID.randomUUID().toString().substring(0, 6);
        PodmanLab.check(podman.argv("run", "-d", "--name", existing, "--network", "none", "--ulimit", "nofile=1024:1024",
                "--ulimit", "nproc=1024:1024", PodmanLab.IMAGE));
        try {
            PodHostSpec ref = PodHostSpec.builder().podRef(existing).build();
            SyncReport r = start(mixed(SwitchKind.LINUX_BRIDGE, ref).build());
            assertThat(r.errors()).isEmpty();
            assertThat(podman.containersOf(token)).as("nfvlab starts no container for a podRef").doesNotContain(existing);
            assertThat(PodmanLab.check(podman.argv("exec", existing, "ip", "-o", "link")).stdout()).contains(" eth1@", " eth2@");
            TrafficJobResult ping = traffic(TrafficType.PINGPAIR, List.of(pair("c1", "h3"), pair("h3", "c1")));
            assertThat(TrafficSummary.pingResults(ping.getResults())).isEqualTo("Results: 0% dropped (2/2 received)");

            dataplane.teardown(state);
            assertThat(PodmanLab.check(podman.argv("inspect", "-f", "{{.State.Running}}", existing)).stdout().strip())
                    .isEqualTo("true");
            assertThat(PodmanLab.check(podman.argv("exec", existing, "ip", "-o", "link")).stdout())
                    .as("only the interfaces nfvlab added are gone").doesNotContain("eth1").contains("lo");
        } finally {
            podman.run("rm", "-f", "-t", "0", existing);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private String container(String host) {
        return KernelNames.hostNetns(token, host);
    }

    private static String error(SyncReport r, String item) {
        return r.errors().stream().filter(e -> e.getItem().equals(item)).map(ItemError::getMessage).findFirst().orElse(null);
    }

    private PlannedHost host(String name) {
        return state.getSpec().getHosts().stream().filter(h -> h.getName().equals(name)).findFirst().orElseThrow();
    }

    private String address(String host) {
        return host(host).getInterfaces().get(0).getAddress().split("/")[0];
    }

    private JobPair pair(String from, String to) {
        return JobPair.builder().source(from).sourceNetns(host(from).getNetns()).destination(to)
                .destinationAddress(address(to)).destinationNetns(host(to).getNetns()).build();
    }

    private List<JobPair> allPairs() {
        List<JobPair> pairs = new ArrayList<>();
        for (String a : List.of("c1", "c2", "h3")) {
            for (String b : List.of("c1", "c2", "h3")) {
                if (!a.equals(b)) {
                    pairs.add(pair(a, b));
                }
            }
        }
        return pairs;
    }

    /** Runs one traffic job as the agent does: the tools run in the hosts' namespaces, never the containers' binaries. */
    private TrafficJobResult traffic(TrafficType type, List<JobPair> pairs) {
        TrafficTestSpec test = TrafficTestSpec.builder().type(type).count(type == TrafficType.PING ? 5 : null).build();
        NetworkNodeState jobState = new NetworkNodeState();
        jobState.setMetadata(new ObjectMetaBuilder().withName("traffictest.default.t." + token).build());
        jobState.setSpec(NetworkNodeStateSpec.builder().nodeName(NODE).owner(state.getSpec().getOwner())
                .trafficJob(TrafficJob.builder().id("default/t").runKey("1").role(TrafficJob.Role.CLIENT).type(type)
                        .parameters(TrafficKinds.parameters(test)).pairs(pairs).build())
                .build());
        try (ProcessTrafficJobs jobs = new ProcessTrafficJobs(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            List<TrafficJobResult> last = new ArrayList<>(jobs.sync(jobState));
            await().atMost(Duration.ofSeconds(50)).pollInterval(Duration.ofMillis(100)).until(() -> {
                last.clear();
                last.addAll(jobs.sync(jobState));
                return last.get(0).getPhase() != JobPhase.RUNNING;
            });
            assertThat(last.get(0).getPhase()).as(last.get(0).getMessage()).isEqualTo(JobPhase.SUCCEEDED);
            return last.get(0);
        }
    }

    /** TCP Mbit/s from {@code client} to {@code server} with iperf3 run in their namespaces. */
    private double iperf(String server, String client) throws Exception {
        Process s = new ProcessBuilder("ip", "netns", "exec", host(server).getNetns(), "iperf3", "-s", "-1", "-p", "5211")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(300);
            CommandRunner.Result r = CommandRunner.run(List.of("ip", "netns", "exec", host(client).getNetns(), "iperf3",
                    "-c", address(server), "-p", "5211", "-t", "3", "-J"), Duration.ofSeconds(30));
            assertThat(r.ok()).as("iperf3: %s", r.describe()).isTrue();
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.stdout());
            return json.path("end").path("sum_received").path("bits_per_second").asDouble() / 1e6;
        } finally {
            s.destroyForcibly().waitFor();
        }
    }

    /** Whether a root-namespace end of link {@code index} exists. */
    private boolean rootDevice(int index) {
        String links = CommandRunner.run(List.of("ip", "-o", "link", "show"), Duration.ofSeconds(10)).stdout();
        return links.contains(" " + KernelNames.linkEnd(token, index, 'a') + "@")
                || links.contains(" " + KernelNames.linkEnd(token, index, 'b') + "@");
    }

    private List<String> leftovers() {
        return KernelFixture.afterKernelRelease(this::leftoversNow, "link ");
    }

    private List<String> leftoversNow() {
        List<String> out = new ArrayList<>();
        for (String line : CommandRunner.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).stdout().split("\n")) {
            if (line.startsWith("nfv-" + token + "-")) out.add("netns " + line);
        }
        for (String line : CommandRunner.run(List.of("ip", "-o", "link", "show"), Duration.ofSeconds(10)).stdout().split("\n")) {
            if (line.contains(" nv" + token) || line.contains("nfvlab:" + token + ":")) out.add("link " + line);
        }
        CommandRunner.Result ovs = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "--bare", "--columns=name",
                "find", "Bridge", "external_ids:" + io.nfvlab.api.Nfvlab.OVS_OWNER_KEY + "=\"" + token + "\""), Duration.ofSeconds(10));
        if (ovs.ok() && !ovs.stdout().isBlank()) out.add("ovs bridges " + ovs.stdout().strip());
        return out;
    }
}
