package io.nfvlab.agent.kernel.linux;

import com.fasterxml.jackson.databind.JsonNode;
import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.kernel.Observed;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.Nfvlab;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.nfvlab.agent.kernel.linux.KernelFixture.assumeRoot;
import static org.assertj.core.api.Assertions.assertThat;

/** Host configuration over rtnetlink, checked against what iproute2 reads back from the real kernel. */
class NetlinkNamespaceIT {
    private static final Duration T = Duration.ofSeconds(10);
    private String token;
    private String ns;
    private String root;

    @BeforeEach
    void namespaceWithVeth() {
        assumeRoot();
        token = KernelFixture.unique("nlt").replace("-", "");
        ns = Nfvlab.NETNS_PREFIX + token + "-h1";
        root = "nv" + token + "r";
        run("ip", "netns", "add", ns);
        run("ip", "link", "add", root, "type", "veth", "peer", "name", "h1-eth0", "netns", ns);
    }

    @AfterEach
    void cleanUp() {
        if (ns != null) {
            CommandRunner.run(List.of("ip", "link", "del", root), T);
            CommandRunner.run(List.of("ip", "netns", "del", ns), T);
            assertThat(KernelFixture.leftovers(token)).isEmpty();
        }
    }

    @Test
    void configuresAHostAndReadsItBackAsIproute2Does() throws Exception {
        BatchResult r = NetlinkNamespace.apply(ns, List.of(
                new Action.LinkSet("h", ns, "lo", null, null, true, null, null),
                new Action.LinkSet("h", ns, "h1-eth0", "nfvlab:test", 1400, true, null, "02:00:00:00:00:01"),
                new Action.AddrAdd("h", ns, "h1-eth0", "10.0.0.1/8"),
                new Action.RouteDefault("h", ns, "h1-eth0"),
                new Action.NeighSet("h", ns, "h1-eth0", "10.0.0.2", "02:00:00:00:00:02")));
        assertThat(r.failures()).isEmpty();

        JsonNode link = LinuxLinkOps.parse(ip("-j", "-d", "addr", "show", "dev", "h1-eth0")).get(0);
        assertThat(link.path("address").asText()).isEqualTo("02:00:00:00:00:01");
        assertThat(link.path("mtu").asInt()).isEqualTo(1400);
        assertThat(link.path("ifalias").asText()).isEqualTo("nfvlab:test");
        assertThat(link.path("flags").toString()).contains("\"UP\"");
        assertThat(link.path("addr_info").toString()).contains("\"10.0.0.1\"").doesNotContain("inet6");
        assertThat(ip("route", "show", "default")).contains("default dev h1-eth0");
        assertThat(ip("neigh", "show", "nud", "permanent")).contains("10.0.0.2 dev h1-eth0 lladdr 02:00:00:00:00:02 PERMANENT");

        Observed.Namespace seen = NetlinkNamespace.observe(ns, ns);
        Observed.Interface eth = seen.get("h1-eth0");
        assertThat(eth.kind()).isEqualTo("veth");
        assertThat(eth.up()).isTrue();
        assertThat(eth.mtu()).isEqualTo(1400);
        assertThat(eth.mac()).isEqualTo("02:00:00:00:00:01");
        assertThat(eth.alias()).isEqualTo("nfvlab:test");
        assertThat(eth.addresses()).containsExactly("10.0.0.1/8");
        assertThat(eth.counters()).isNotNull();
        assertThat(seen.get("lo").up()).isTrue();
        assertThat(seen.defaultRouteDevice()).isEqualTo("h1-eth0");
        assertThat(seen.neighbours()).containsExactly(new Observed.Neigh("h1-eth0", "10.0.0.2", "02:00:00:00:00:02"));
    }

    /** As in a switch namespace: a device with IPv6 off gets no automatic address, so none is asked for. */
    @Test
    void asksForNoAutomaticIpv6AddressOnlyWhereIpv6IsOn() throws Exception {
        run("ip", "-n", ns, "link", "add", "h1-eth1", "type", "veth", "peer", "name", "h1-eth2");
        NamespaceSysctl.set(ns, java.nio.file.Path.of("/proc/sys/net/ipv6/conf/h1-eth1/disable_ipv6"), 1);

        BatchResult r = NetlinkNamespace.apply(ns, List.of(
                new Action.LinkSet("h", ns, "h1-eth1", null, null, true, null, null),
                new Action.LinkSet("h", ns, "h1-eth2", null, null, true, null, null)));

        assertThat(r.failures()).isEmpty();
        assertThat(ip("-d", "link", "show", "dev", "h1-eth1")).contains("UP").contains("addrgenmode eui64");
        assertThat(ip("-d", "link", "show", "dev", "h1-eth2")).contains("UP").contains("addrgenmode none");
        assertThat(ip("addr", "show", "dev", "h1-eth1") + ip("addr", "show", "dev", "h1-eth2")).doesNotContain("inet6");
    }

    @Test
    void readsRootQdiscsAndClsactAsTcListsThem() throws Exception {
        run("ip", "-n", ns, "link", "add", "h1-eth1", "type", "veth", "peer", "name", "h1-eth2");
        run("tc", "-n", ns, "qdisc", "add", "dev", "h1-eth0", "root", "handle", "1:", "tbf", "rate", "10mbit", "burst", "32kbit", "latency", "50ms");
        run("tc", "-n", ns, "qdisc", "add", "dev", "h1-eth0", "parent", "1:1", "handle", "10:", "pfifo", "limit", "100");
        run("tc", "-n", ns, "qdisc", "add", "dev", "h1-eth1", "clsact");
        Map<String, String> roots = new TreeMap<>();
        Set<String> clsact = new TreeSet<>();
        for (JsonNode q : LinuxLinkOps.parse(run("tc", "-n", ns, "-j", "qdisc", "show"))) {
            if (q.path("root").asBoolean(false)) {
                roots.put(q.path("dev").asText(), q.path("kind").asText());
            } else if ("clsact".equals(q.path("kind").asText())) {
                clsact.add(q.path("dev").asText());
            }
        }
        assertThat(roots).containsEntry("h1-eth0", "tbf");
        assertThat(clsact).containsExactly("h1-eth1");

        Observed.Namespace seen = NetlinkNamespace.observe(ns, ns, true);
        assertThat(seen.rootQdiscs()).isEqualTo(roots);
        assertThat(seen.clsact()).isEqualTo(clsact);
        assertThat(NetlinkNamespace.observe(ns, ns).rootQdiscs()).isEmpty();
    }

    @Test
    void reportsEachFailedActionWithTheKernelsReasonAndToleratesDeletingWhatIsGone() {
        Action missing = new Action.AddrAdd("hosts/h1", ns, "h1-eth9", "10.0.0.1/8");
        Action twice = new Action.AddrAdd("hosts/h1", ns, "h1-eth0", "10.0.0.1/8");
        Action badMac = new Action.LinkSet("hosts/h1", ns, "h1-eth0", null, null, null, null, "02:zz:00:00:00:01");
        BatchResult r = NetlinkNamespace.apply(ns, List.of(
                new Action.AddrAdd("hosts/h1", ns, "h1-eth0", "10.0.0.1/8"), twice, missing, badMac,
                new Action.LinkDel("hosts/h1", ns, "h1-eth7"), new Action.AddrDel("hosts/h1", ns, "h1-eth0", "10.9.9.9/8")));
        assertThat(r.failures()).extracting(BatchResult.Failure::action).containsExactlyInAnyOrder(twice, missing, badMac);
        assertThat(r.failures()).filteredOn(f -> f.action() == twice).first().extracting(BatchResult.Failure::message)
                .asString().contains("addr add 10.0.0.1/8 dev h1-eth0").contains("exists");
        assertThat(r.failures()).filteredOn(f -> f.action() == missing).first().extracting(BatchResult.Failure::message)
                .asString().contains("h1-eth9");
        assertThat(ip("-o", "addr", "show", "dev", "h1-eth0")).contains("10.0.0.1/8");
    }

    @Test
    void aNamespaceThatIsGoneFailsEveryActionWithItsName() {
        BatchResult r = NetlinkNamespace.apply(Nfvlab.NETNS_PREFIX + token + "-nothere", List.of(new Action.RouteDefault("h", null, "x")));
        assertThat(r.failures()).singleElement().extracting(BatchResult.Failure::message).asString()
                .contains(Nfvlab.NETNS_PREFIX + token + "-nothere");
    }

    private String ip(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("ip", "-n", ns));
        argv.addAll(List.of(args));
        return run(argv.toArray(String[]::new));
    }

    private static String run(String... argv) {
        return CommandRunner.run(List.of(argv), T).orThrow().stdout();
    }
}
