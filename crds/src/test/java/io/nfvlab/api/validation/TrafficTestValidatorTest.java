package io.nfvlab.api.validation;

import io.nfvlab.api.common.ObjectRef;
import io.nfvlab.api.traffic.PassCriteria;
import io.nfvlab.api.traffic.SearchSpec;
import io.nfvlab.api.traffic.TestpmdSpec;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficTestValidatorTest {
    private static final ObjectRef TOPO = ObjectRef.builder().name("lin4").build();
    private static final List<String> HOSTS = List.of("h1", "h2", "h3", "h4");

    private static List<String> problems(TrafficTestSpec spec) {
        return TrafficTestValidator.validate(spec).stream().map(Violation::toString).toList();
    }

    @Test
    void aPlainPingallIsValid() {
        TrafficTestSpec spec = TrafficTestSpec.builder().type(TrafficType.PINGALL).topologyRef(TOPO).build();
        assertThat(TrafficTestValidator.validate(spec)).isEmpty();
        assertThat(TrafficTestValidator.validateAgainst(spec, HOSTS)).isEmpty();
    }

    @Test
    void eachProblemNamesItsField() {
        assertThat(problems(TrafficTestSpec.builder().topologyRef(TOPO).build())).singleElement().asString().startsWith("spec.type: is required");
        assertThat(problems(TrafficTestSpec.builder().type(TrafficType.IPERF).build())).containsExactly("spec.topologyRef.name: is required for type iperf");
        assertThat(problems(TrafficTestSpec.builder().type(TrafficType.TESTPMD).build())).containsExactly("spec.testpmd: is required for type testpmd");
        assertThat(problems(TrafficTestSpec.builder().type(TrafficType.TESTPMD).testpmd(TestpmdSpec.builder().build()).build()))
                .containsExactly("spec.testpmd.bridgeRef: is required for type testpmd (or testpmd.hosts with topologyRef)");
        assertThat(problems(TrafficTestSpec.builder().type(TrafficType.PING).topologyRef(TOPO).source("h1").destination("h1").build()))
                .containsExactly("spec.destination: must differ from spec.source (h1)");
        assertThat(problems(TrafficTestSpec.builder().type(TrafficType.THROUGHPUT_SEARCH).topologyRef(TOPO)
                .search(SearchSpec.builder().minRate(100.0).maxRate(50.0).generator("pktgen").build()).build()))
                .containsExactly("spec.search.maxRate: must be greater than spec.search.minRate (100.0)",
                        "spec.search.generator: must be iperf3 or testpmd, not pktgen");
        assertThat(problems(TrafficTestSpec.builder().type(TrafficType.PINGALL).topologyRef(TOPO)
                .passCriteria(PassCriteria.builder().minThroughputMbps(10.0).build()).build()))
                .containsExactly("spec.passCriteria.minThroughputMbps: applies to iperf, iperfudp and throughput-search, not pingall");
        assertThat(problems(TrafficTestSpec.builder().type(TrafficType.IPERF).topologyRef(TOPO)
                .passCriteria(PassCriteria.builder().maxRttMs(1.0).build()).build()))
                .containsExactly("spec.passCriteria.maxRttMs: applies to ping, pingpair and pingall, not iperf");
    }

    @Test
    void hostsMustExistInTheTopology() {
        TrafficTestSpec spec = TrafficTestSpec.builder().type(TrafficType.PINGALL).topologyRef(TOPO).hosts(List.of("h1", "h7")).build();
        assertThat(TrafficTestValidator.validateAgainst(spec, HOSTS)).extracting(Violation::toString)
                .containsExactly("spec.hosts[1]: host h7 is not in the topology (hosts: h1, h2, h3, h4)");
        assertThat(TrafficTestValidator.validateAgainst(TrafficTestSpec.builder().type(TrafficType.IPERF).topologyRef(TOPO).build(), List.of("h1")))
                .extracting(Violation::field).containsExactly("spec.topologyRef");
    }

    @Test
    void testpmdOnVhostUserHostsNeedsTheirTopologyAndNoBridgePorts() {
        TestpmdSpec onHosts = TestpmdSpec.builder().hosts(List.of("vnf1", "vnf2")).build();
        TrafficTestSpec valid = TrafficTestSpec.builder().type(TrafficType.TESTPMD).topologyRef(TOPO).testpmd(onHosts).build();
        assertThat(TrafficTestValidator.validate(valid)).isEmpty();
        assertThat(TrafficTestValidator.validateTestpmdHosts(valid, List.of("vnf1", "vnf2"))).isEmpty();
        assertThat(TrafficTestValidator.validateTestpmdHosts(valid, List.of("vnf2"))).extracting(Violation::toString)
                .containsExactly("spec.testpmd.hosts[0]: \"vnf1\" is not a vhostUser host of the topology (it has vnf2)");

        assertThat(problems(valid.toBuilder().topologyRef(null).build()))
                .containsExactly("spec.topologyRef.name: is required for testpmd.hosts: the topology the hosts are in");
        assertThat(problems(valid.toBuilder().testpmd(onHosts.toBuilder().bridgeRef("dpdk0").build()).build()))
                .singleElement().asString().startsWith("spec.testpmd: testpmd attaches either to a DpdkBridge's ports");
        assertThat(problems(valid.toBuilder().testpmd(onHosts.toBuilder().hosts(List.of("vnf1", "vnf1")).build()).build()))
                .containsExactly("spec.testpmd.hosts: names a host twice");
    }

    /** The CRD's CEL rule says the same as the Java rule, for documents applied with kubectl. */
    @Test
    void theCrdRejectsTestpmdOnHostsAndBridgePortsAtOnce() throws Exception {
        var doc = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree("""
                apiVersion: nfvlab.io/v1alpha1
                kind: TrafficTest
                metadata: {name: both}
                spec:
                  type: testpmd
                  topologyRef: {name: lab}
                  testpmd: {hosts: [vnf1], bridgeRef: dpdk0}
                """);
        assertThat(io.nfvlab.crdvalidation.CrdSchemaValidator.forPlural("traffictests").validate(doc))
                .anySatisfy(v -> {
                    assertThat(v.field()).isEqualTo("spec.testpmd");
                    assertThat(v.message()).contains("not both");
                });
    }

    /**
     * count × intervalSec is bounded at one hour, by the CRD's CEL rule and the validator alike, with the default
     * interval (0.2 s) standing in when unset; the error names spec.count.
     */
    @Test
    void echoTimeIsBoundedByTheCrdAndTheValidatorAlike() throws Exception {
        var crd = io.nfvlab.crdvalidation.CrdSchemaValidator.forPlural("traffictests");
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        record Case(Integer count, Double interval, boolean accepted) {
        }
        List<Case> cases = List.of(
                new Case(100000, 60.0, false),   // 69 days: what the schema's per-field bounds allowed
                new Case(18001, null, false),    // default interval 0.2 s: 3600.2 s
                new Case(18000, null, true),     // exactly one hour
                new Case(60, 60.0, true),
                new Case(61, 60.0, false),
                new Case(null, 60.0, true));     // unset count: at most 10 echoes
        for (Case c : cases) {
            TrafficTestSpec spec = TrafficTestSpec.builder().type(TrafficType.PING).topologyRef(TOPO)
                    .count(c.count()).intervalSec(c.interval()).build();
            var doc = yaml.readTree("apiVersion: nfvlab.io/v1alpha1\nkind: TrafficTest\nmetadata: {name: long}\nspec:\n"
                    + "  type: ping\n  topologyRef: {name: lin4}\n"
                    + (c.count() == null ? "" : "  count: " + c.count() + "\n")
                    + (c.interval() == null ? "" : "  intervalSec: " + c.interval() + "\n"));
            var crdErrors = crd.validate(doc);
            var javaErrors = TrafficTestValidator.validate(spec);
            if (c.accepted()) {
                assertThat(crdErrors).as(c.toString()).isEmpty();
                assertThat(javaErrors).as(c.toString()).isEmpty();
            } else {
                assertThat(crdErrors).as(c.toString()).singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("spec.count");
                    assertThat(e.message()).contains("count × intervalSec (default 0.2) must be at most 3600 seconds");
                });
                assertThat(javaErrors).as(c.toString()).singleElement().satisfies(v -> {
                    assertThat(v.field()).isEqualTo("spec.count");
                    assertThat(v.message()).contains("count × intervalSec (default 0.2) must be at most 3600 seconds");
                });
            }
        }
    }

    /** A job's parameters in a NetworkNodeState carry the same bound, for whoever writes one by hand. */
    @Test
    void theNodeStateCrdBoundsAJobsEchoTimeToo() throws Exception {
        var doc = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree("""
                apiVersion: nfvlab.io/v1alpha1
                kind: NetworkNodeState
                metadata: {name: n}
                spec:
                  nodeName: worker-1
                  trafficJobs:
                    - parameters: {count: 100000, intervalSec: 60.0}
                """);
        assertThat(io.nfvlab.crdvalidation.CrdSchemaValidator.forPlural("networknodestates").validate(doc))
                .anySatisfy(v -> {
                    assertThat(v.field()).isEqualTo("spec.trafficJobs[0].parameters.count");
                    assertThat(v.message()).contains("must be at most 3600 seconds");
                });
    }
}
