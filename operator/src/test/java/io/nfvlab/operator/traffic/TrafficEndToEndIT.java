package io.nfvlab.operator.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.AgentConfig;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.agent.traffic.dispatch.ProcessTrafficJobs;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.common.ObjectRef;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.LinkState;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.PassCriteria;
import io.nfvlab.api.traffic.SearchSpec;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus.Phase;
import io.nfvlab.api.traffic.TrafficType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TrafficTests end to end on this machine: the operator (topology and traffic reconcilers) and the real agent
 * (Linux dataplane, ProcessTrafficJobs) against the in-process API server; real namespaces, bridges, tc shaping, ping,
 * fping and iperf3. The node's root-namespace objects go into a namespace of the test's own (AgentConfig.nodeNetns).
 */
class TrafficEndToEndIT {
    static final String NS = "default";
    private KernelNodeLab lab;
    private String tag;
    private KubernetesClient admin;
    private List<String> topologies;

    @BeforeEach
    void start() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create namespaces, bridges and qdiscs");
        lab = KernelNodeLab.start("tq5e");
        tag = lab.tag;
        admin = lab.admin;
        topologies = lab.topologies;
    }

    @AfterEach
    void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void pingallOnLinear4ReceivesEverythingThenALinkDownFailsItByMaxLossPercent() throws Exception {
        String topo = topology("linear,4", null);
        create(test("pingall", topo, TrafficTestSpec.builder().type(TrafficType.PINGALL)
                .passCriteria(PassCriteria.builder().maxLossPercent(0.0).build())));
        TrafficTest ok = awaitTest("pingall", t -> t.getStatus().getPhase() == Phase.SUCCEEDED || t.getStatus().getPhase() == Phase.FAILED);
        assertThat(ok.getStatus().getSummary()).isEqualTo("Results: 0% dropped (12/12 received)");
        assertThat(ok.getStatus().getPhase()).isEqualTo(Phase.SUCCEEDED);

        String metrics = scrapeAgent();
        assertThat(metrics).containsPattern("(?m)^nfvlab_traffic_loss_ratio\\{.*destination=\"h4\".*source=\"h1\".*test=\"pingall\".*} 0\\.0$");
        assertThat(metrics).containsPattern("(?m)^nfvlab_traffic_rtt_seconds\\{.*} [0-9.eE-]+$");
        assertThat(metrics).containsPattern("(?m)^nfvlab_traffic_job_runs_total\\{.*result=\"succeeded\".*test=\"pingall\".*} 1\\.0$");

        // `link s2 s3 down`, then run the test again
        long generation = admin.resources(VirtualTopology.class).inNamespace(NS).withName(topo).edit(t -> {
            t.getSpec().setLinkOverrides(List.of(LinkSpec.builder().a("s2").b("s3").state(LinkState.DOWN).build()));
            return t;
        }).getMetadata().getGeneration();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            VirtualTopology t = admin.resources(VirtualTopology.class).inNamespace(NS).withName(topo).get();
            return t.getStatus() != null && t.getStatus().getObservedGeneration() == generation
                    && Conditions.isTrue(t.getStatus().getConditions(), Conditions.READY);
        });
        admin.resources(TrafficTest.class).inNamespace(NS).withName("pingall").edit(t -> {
            t.getSpec().setRunId("after-link-down");
            return t;
        });
        TrafficTest cut = awaitTest("pingall", t -> "after-link-down".equals(t.getStatus().getObservedRunId())
                && (t.getStatus().getPhase() == Phase.SUCCEEDED || t.getStatus().getPhase() == Phase.FAILED));
        assertThat(cut.getStatus().getSummary()).isEqualTo("Results: 66% dropped (4/12 received)");
        assertThat(cut.getStatus().getPhase()).isEqualTo(Phase.FAILED);
        assertThat(Conditions.find(cut.getStatus().getConditions(), TrafficTestReconciler.PASSED).orElseThrow().getReason())
                .isEqualTo(TrafficOutcome.MAX_LOSS);
        assertThat(cut.getStatus().getMessage()).startsWith("passCriteria.maxLossPercent 0: h1 → h3 lost 100%");
    }

    /**
     * The names both processes export pass Prometheus's linter, every meter got registered, and the chart's dashboard
     * and alert rules ask only for metrics that a real run exports (a panel on a misspelt name shows "No data" forever).
     */
    @Test
    void scrapesPassPromtoolAndCarryEveryMetricTheDashboardAndRulesQuery() throws Exception {
        io.nfvlab.operator.Promtool.require();
        String topo = topology("single,2", null);
        create(test("pings", topo, TrafficTestSpec.builder().type(TrafficType.PINGALL)));
        create(test("tcp", topo, TrafficTestSpec.builder().type(TrafficType.IPERF).durationSeconds(1)));
        for (String name : List.of("pings", "tcp")) {
            awaitTest(name, t -> t.getStatus().getPhase() == Phase.SUCCEEDED || t.getStatus().getPhase() == Phase.FAILED);
        }
        // link counters are read when the agent observes the kernel, so they appear from the first resync on
        await().atMost(Duration.ofSeconds(30)).until(() -> scrapeAgent().contains("nfvlab_link_rx_bytes_total{"));
        String agentScrape = scrapeAgent();
        String operatorScrape = lab.operator.metrics().scrape();

        assertThat(io.nfvlab.operator.Promtool.checkMetrics(operatorScrape)).as("promtool check metrics, operator").isEmpty();
        assertThat(io.nfvlab.operator.Promtool.checkMetrics(agentScrape)).as("promtool check metrics, agent").isEmpty();
        assertThat(lab.operator.metrics().failedRegistrations()).as("operator meters Prometheus refused").isEmpty();
        assertThat(lab.agent.failedMeterRegistrations()).as("agent meters Prometheus refused").isEmpty();

        java.nio.file.Path chart = java.nio.file.Path.of("..", "charts", "nfvlab");
        String queried = java.nio.file.Files.readString(chart.resolve("dashboards/nfvlab.json"))
                + java.nio.file.Files.readString(chart.resolve("rules/nfvlab.rules.yaml"));
        java.util.Set<String> names = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(?:nfvlab|operator_sdk)_[a-z0-9_]+").matcher(queried);
        while (m.find()) {
            names.add(m.group());
        }
        assertThat(names).as("metric names the dashboard and rules query").isNotEmpty();
        String both = operatorScrape + agentScrape;
        assertThat(names).allSatisfy(name -> assertThat(both).as("a sample of " + name).containsPattern("(?m)^" + name + "[{ ]"));
    }

    @Test
    void iperfUdpAt50MbitOnAnUnshapedLinkLosesUnderOnePercent() {
        String topo = topology("single,2", null);
        create(test("udp", topo, TrafficTestSpec.builder().type(TrafficType.IPERFUDP).bandwidthMbps(50.0).durationSeconds(3)
                .passCriteria(PassCriteria.builder().maxLossPercent(1.0).build())));
        TrafficTest done = awaitTest("udp", t -> t.getStatus().getPhase() == Phase.SUCCEEDED || t.getStatus().getPhase() == Phase.FAILED);
        System.out.println("iperfudp 50 Mbit/s end to end: " + done.getStatus().getSummary());
        assertThat(done.getStatus().getPhase()).as(done.getStatus().getMessage()).isEqualTo(Phase.SUCCEEDED);
        PairResult r = done.getStatus().getResults().get(0);
        assertThat(r.getLossPercent()).isLessThan(1.0);
        assertThat(r.getBitsPerSecond() / 1e6).isBetween(45.0, 51.0);
    }

    @Test
    void iperfOverA100MbitLinkThenThroughputSearchOverA200MbitLink() {
        String slow = topology("single,2", 100.0);
        create(test("tcp", slow, TrafficTestSpec.builder().type(TrafficType.IPERF).durationSeconds(3)
                .passCriteria(PassCriteria.builder().minThroughputMbps(90.0).build())));
        TrafficTest tcp = awaitTest("tcp", t -> t.getStatus().getPhase() == Phase.SUCCEEDED || t.getStatus().getPhase() == Phase.FAILED);
        System.out.println("iperf over 100 Mbit/s links end to end: " + tcp.getStatus().getSummary());
        double mbps = tcp.getStatus().getResults().get(0).getBitsPerSecond() / 1e6;
        assertThat(mbps).isBetween(90.0, 105.0);
        assertThat(tcp.getStatus().getPhase()).isEqualTo(Phase.SUCCEEDED);

        String fast = topology("single,2", 200.0);
        create(test("ndr", fast, TrafficTestSpec.builder().type(TrafficType.THROUGHPUT_SEARCH)
                .search(SearchSpec.builder().minRate(10.0).maxRate(400.0).precision(8.0).trialSeconds(1).build())));
        TrafficTest ndr = awaitTest("ndr", t -> t.getStatus().getPhase() == Phase.SUCCEEDED || t.getStatus().getPhase() == Phase.FAILED);
        System.out.println("throughput-search over 200 Mbit/s links end to end: " + ndr.getStatus().getSummary());
        ndr.getStatus().getTrials().forEach(t -> System.out.printf("  trial %.1f: received %.1f, loss %.4f %%, %s%n",
                t.getRate(), t.getMeasuredRate(), t.getLossPercent(), t.getPassed() ? "pass" : "fail"));
        assertThat(ndr.getStatus().getPhase()).as(ndr.getStatus().getMessage()).isEqualTo(Phase.SUCCEEDED);
        assertThat(ndr.getStatus().getFoundRate()).isBetween(150.0, 205.0);
        assertThat(ndr.getStatus().getSummary()).startsWith("Results: NDR ");
    }

    private String topology(String builtin, Double bandwidthMbps) {
        String name = tag + "t" + topologies.size();
        VirtualTopology vt = new VirtualTopology();
        vt.getMetadata().setName(name);
        vt.getMetadata().setNamespace(NS);
        vt.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type(builtin).build())
                .linkDefaults(bandwidthMbps == null ? null : LinkParams.builder().bandwidthMbps(bandwidthMbps).build()).build());
        admin.resource(vt).create();
        topologies.add(name);
        return name;
    }

    private void create(TrafficTest t) {
        admin.resource(t).create();
    }

    private static TrafficTest test(String name, String topology, TrafficTestSpec.TrafficTestSpecBuilder spec) {
        TrafficTest t = new TrafficTest();
        t.getMetadata().setName(name);
        t.getMetadata().setNamespace(NS);
        t.setSpec(spec.topologyRef(ObjectRef.builder().name(topology).build()).timeoutSeconds(120).build());
        return t;
    }

    private TrafficTest awaitTest(String name, Predicate<TrafficTest> condition) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            TrafficTest t = admin.resources(TrafficTest.class).inNamespace(NS).withName(name).get();
            return t != null && t.getStatus() != null && condition.test(t);
        });
        return admin.resources(TrafficTest.class).inNamespace(NS).withName(name).get();
    }

    private String scrapeAgent() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + lab.agent.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static void run(String... argv) {
        CommandRunner.run(List.of(argv), Duration.ofSeconds(10)).orThrow();
    }
}
