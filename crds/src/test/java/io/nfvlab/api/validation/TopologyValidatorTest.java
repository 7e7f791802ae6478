package io.nfvlab.api.validation;

import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopologySpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TopologyValidatorTest {
    private static VirtualTopologySpec builtin(String type) {
        return VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type(type).build()).build();
    }

    private static VirtualTopologySpec.VirtualTopologySpecBuilder explicit() {
        return VirtualTopologySpec.builder()
                .host(HostSpec.builder().name("h1").build())
                .host(HostSpec.builder().name("h2").build())
                .switchSpec(SwitchSpec.builder().name("s1").build())
                .link(LinkSpec.builder().a("h1").b("s1").build())
                .link(LinkSpec.builder().a("h2").b("s1").build());
    }

    @Test
    void validBuiltinsAndExplicitTopologiesHaveNoViolations() {
        for (String t : List.of("minimal", "single,3", "reversed,4", "linear,4", "linear,3,2", "tree,depth=2,fanout=3", "torus,3,3")) {
            assertThat(TopologyValidator.validate(builtin(t))).as(t).isEmpty();
        }
        assertThat(TopologyValidator.validate(explicit().build())).isEmpty();
    }

    @Test
    void everyProblemIsReportedWithItsFieldPath() {
        var spec = explicit()
                .host(HostSpec.builder().name("s1").build())
                .link(LinkSpec.builder().a("h1").b("h9").bandwidthMbps(0.0).lossPercent(120.0).jitter("1ms").build())
                .build();
        List<Violation> v = TopologyValidator.validate(spec);
        assertThat(v).extracting(Violation::field).containsExactly(
                "spec.switches[0].name", "spec.links[2].b", "spec.links[2].bandwidthMbps",
                "spec.links[2].jitter", "spec.links[2].lossPercent");
        assertThat(Violations.format(v)).contains("spec.links[2].b: unknown host or switch \"h9\"").hasLineCount(5);
    }

    @Test
    void unknownBuiltinIsOneClearViolation() {
        assertThat(TopologyValidator.validate(builtin("ring,4")))
                .containsExactly(new Violation("spec.topology.type",
                        "unknown built-in topology \"ring\"; known: linear, minimal, reversed, single, torus, tree"));
    }

    @Test
    void theLargestAcceptedBuiltinsValidate() {
        // a 100x100 torus closes 10001 loops, all with STP; linear,10000 is the longest chain the schema allows;
        // tree,2,100 has the most hosts a tree may have (PlansThatFitTest plans and publishes it)
        for (String t : List.of("torus,100,100", "linear,10000", "tree,depth=2,fanout=100")) {
            assertThat(TopologyValidator.validate(builtin(t))).as(t).isEmpty();
        }
    }

    @Test
    void moreHostsThanFitInAnObjectAreRefusedWithTheBound() {
        assertThat(TopologyValidator.validate(builtin("tree,depth=2,fanout=101")))
                .singleElement().satisfies(x -> assertThat(x.message()).contains("10201 hosts").contains("at most 10000 hosts"));
    }

    @Test
    void absurdSizesAreRefusedBeforeExpanding() {
        assertThat(TopologyValidator.validate(builtin("tree,depth=10,fanout=1000")))
                .singleElement().satisfies(x -> assertThat(x.message()).contains("at most 10000 hosts"));
    }
}
