package io.nfvlab.api.expansion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nfvlab.api.profile.LinkProfileSpec;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkDefaults;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.ProfileNames;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.validation.TopologyValidator;
import io.nfvlab.api.validation.Violation;
import io.nfvlab.api.yaml.NfvlabYaml;
import io.nfvlab.crdvalidation.CrdSchemaValidator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LinkProfiles named from links, link defaults and link overrides, and the precedence between all of them. */
class LinkProfilesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Two hosts joined by one link, which names {@code linkProfiles} and carries {@code own} values. */
    private static VirtualTopologySpec.VirtualTopologySpecBuilder pair(List<String> linkProfiles, LinkParams own) {
        LinkSpec link = LinkSpec.builder().a("h1").b("h2").profiles(linkProfiles).build();
        if (own != null) {
            link = (LinkSpec) LinkSpec.builder().a("h1").b("h2").profiles(linkProfiles)
                    .bandwidthMbps(own.getBandwidthMbps()).delay(own.getDelay()).jitter(own.getJitter())
                    .lossPercent(own.getLossPercent()).maxQueueSize(own.getMaxQueueSize()).mtu(own.getMtu()).build();
        }
        return VirtualTopologySpec.builder()
                .host(HostSpec.builder().name("h1").build())
                .host(HostSpec.builder().name("h2").build())
                .link(link);
    }

    private static LinkParams onlyLink(VirtualTopologySpec spec, Map<String, LinkParams> profiles) {
        TopologyGraph g = TopologyExpander.expand(spec, LinkProfiles.of(spec, profiles));
        assertThat(g.links()).hasSize(1);
        return g.links().get(0).params();
    }

    @Test
    void eachLayerWinsOverTheOnesBelowIt() {
        // level N sets the first 7-N of these fields; the result shows which level each field came from
        Map<String, LinkParams> profiles = Map.of(
                "defaults-profile", LinkParams.builder().bandwidthMbps(1.0).delay("1ms").lossPercent(1.0).maxQueueSize(1)
                        .mtu(1001).jitter("1us").build(),
                "link-profile", LinkParams.builder().bandwidthMbps(3.0).delay("3ms").lossPercent(3.0).maxQueueSize(3).build(),
                "override-profile", LinkParams.builder().bandwidthMbps(5.0).delay("5ms").build());
        VirtualTopologySpec spec = pair(List.of("link-profile"), LinkParams.builder().bandwidthMbps(4.0).delay("4ms")
                .lossPercent(4.0).build())
                .linkDefaults(LinkDefaults.builder().profiles(List.of("defaults-profile")).bandwidthMbps(2.0).delay("2ms")
                        .lossPercent(2.0).maxQueueSize(2).mtu(1002).build())
                .linkOverride(LinkSpec.builder().a("h2").b("h1").profiles(List.of("override-profile")).bandwidthMbps(6.0).build())
                .build();

        LinkParams p = onlyLink(spec, profiles);

        assertThat(p.getBandwidthMbps()).as("linkOverrides values").isEqualTo(6.0);
        assertThat(p.getDelay()).as("linkOverrides profiles").isEqualTo("5ms");
        assertThat(p.getLossPercent()).as("the link's own values").isEqualTo(4.0);
        assertThat(p.getMaxQueueSize()).as("the link's profiles").isEqualTo(3);
        assertThat(p.getMtu()).as("linkDefaults values").isEqualTo(1002);
        assertThat(p.getJitter()).as("linkDefaults profiles").isEqualTo("1us");
    }

    @Test
    void profilesApplyInOrderSoALaterOneWinsAndEarlierOnesFillTheRest() {
        Map<String, LinkParams> profiles = Map.of(
                "slow", LinkParams.builder().bandwidthMbps(1.0).delay("100ms").build(),
                "near", LinkParams.builder().delay("1ms").build());

        assertThat(onlyLink(pair(List.of("slow", "near"), null).build(), profiles))
                .extracting(LinkParams::getBandwidthMbps, LinkParams::getDelay).containsExactly(1.0, "1ms");
        assertThat(onlyLink(pair(List.of("near", "slow"), null).build(), profiles))
                .extracting(LinkParams::getBandwidthMbps, LinkParams::getDelay).containsExactly(1.0, "100ms");
    }

    @Test
    void builtinLinksTakeProfilesFromTheDefaultsAndFromOverridesOfTheirTwoNodes() {
        VirtualTopologySpec spec = VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("linear").k(2).build())
                .linkDefaults(LinkDefaults.builder().profiles(List.of("lan")).build())
                .linkOverride(LinkSpec.builder().a("s1").b("s2").profiles(List.of("wan")).build())
                .build();
        Map<String, LinkParams> profiles = Map.of("lan", LinkParams.builder().delay("1ms").build(),
                "wan", LinkParams.builder().delay("40ms").bandwidthMbps(10.0).build());

        TopologyGraph g = TopologyExpander.expand(spec, LinkProfiles.of(spec, profiles));

        assertThat(g.links()).filteredOn(l -> l.a().node().startsWith("s") && l.b().node().startsWith("s"))
                .singleElement().satisfies(l -> assertThat(l.params().getDelay()).isEqualTo("40ms"));
        assertThat(g.links()).filteredOn(l -> l.a().host() || l.b().host())
                .hasSize(2).allSatisfy(l -> {
                    assertThat(l.params().getDelay()).isEqualTo("1ms");
                    assertThat(l.params().getBandwidthMbps()).isNull();
                });
    }

    @Test
    void aMissingProfileIsNamedWithTheFieldAndTheLinkAndContributesNothing() {
        VirtualTopologySpec spec = pair(List.of("here", "gone"), null)
                .linkOverride(LinkSpec.builder().a("h1").b("h2").profiles(List.of("gone")).build()).build();
        Map<String, LinkParams> profiles = Map.of("here", LinkParams.builder().delay("2ms").build());

        LinkProfiles resolved = LinkProfiles.of(spec, profiles);

        assertThat(resolved.missing()).extracting(LinkProfiles.Missing::message).containsExactly(
                "spec.links[0].profiles[1]: link h1-h2 names LinkProfile gone, which does not exist",
                "spec.linkOverrides[0].profiles[0]: the override of link h1-h2 names LinkProfile gone, which does not exist");
        assertThat(resolved.inForce()).containsOnlyKeys("here");
        assertThat(onlyLink(spec, profiles).getDelay()).isEqualTo("2ms");
    }

    @Test
    void aSpecWithoutProfilesExpandsAsBefore() {
        VirtualTopologySpec spec = pair(null, LinkParams.builder().delay("3ms").build())
                .linkDefaults(LinkParams.builder().bandwidthMbps(5.0).build()).build();

        assertThat(LinkProfiles.namedBy(spec)).isEmpty();
        assertThat(TopologyExpander.expand(spec).links().get(0).params())
                .extracting(LinkParams::getDelay, LinkParams::getBandwidthMbps).containsExactly("3ms", 5.0);
    }

    @Test
    void profilesCannotFormCyclesBecauseAProfileNamesNoProfiles() throws Exception {
        // not in the Java model, not in the CRD's schema, refused in files
        assertThat(LinkProfileSpec.class.getDeclaredFields()).extracting(java.lang.reflect.Field::getName).doesNotContain("profiles");
        assertThat(LinkParams.class.getDeclaredFields()).extracting(java.lang.reflect.Field::getName).doesNotContain("profiles");
        JsonNode spec = CrdSchemaValidator.forPlural("linkprofiles").crd().at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
        assertThat(spec.path("properties").has("delay")).isTrue();
        assertThat(spec.path("properties").has("profiles")).isFalse();
        assertThatThrownBy(() -> NfvlabYaml.load("""
                apiVersion: nfvlab.io/v1alpha1
                kind: LinkProfile
                metadata: {name: loop}
                spec: {delay: 1ms, profiles: [loop]}
                """, "loop.yaml"))
                .hasMessageContaining("LinkProfile loop: spec.profiles: unknown field");
    }

    @Test
    void theLinkProfileSchemaAndCelRulesAreThoseOfLinkParameters() throws Exception {
        CrdSchemaValidator crd = CrdSchemaValidator.forPlural("linkprofiles");
        assertThat(crd.crd().at("/spec/scope").asText()).isEqualTo("Cluster");
        assertThat(crd.validate(YAML.readTree("""
                apiVersion: nfvlab.io/v1alpha1
                kind: LinkProfile
                metadata: {name: satellite}
                spec: {delay: 279ms, bandwidthMbps: 25, description: GEO}
                """))).isEmpty();
        assertThat(crd.validate(YAML.readTree("""
                apiVersion: nfvlab.io/v1alpha1
                kind: LinkProfile
                metadata: {name: bad}
                spec: {delay: 20 ms, lossPercent: 101}
                """))).extracting(e -> e.field() + ": " + e.message())
                .anyMatch(m -> m.startsWith("spec.delay: ") && m.contains("should match"))
                .anyMatch(m -> m.startsWith("spec.lossPercent: ") && m.contains("less than or equal to 100"));
        assertThat(crd.validate(YAML.readTree("""
                apiVersion: nfvlab.io/v1alpha1
                kind: LinkProfile
                metadata: {name: shaky}
                spec: {jitter: 5ms, delay: 11s}
                """))).extracting(e -> e.field() + ": " + e.message())
                .anyMatch(m -> m.startsWith("spec.delay: ") && m.contains("delay must be at most 10s"));
    }

    @Test
    void theJavaValidatorRefusesWhatTheLinkProfileCrdRefuses() {
        assertThat(io.nfvlab.api.validation.LinkProfileValidator.validate(LinkProfileSpec.builder().jitter("5ms").build()))
                .extracting(Violation::field).containsExactly("spec.jitter");
        assertThat(io.nfvlab.api.validation.LinkProfileValidator.validate(LinkProfileSpec.builder().delay("20 ms").lossPercent(101.0).build()))
                .extracting(Violation::field).containsExactly("spec.delay", "spec.lossPercent");
        assertThat(io.nfvlab.api.validation.LinkProfileValidator.validate(LinkProfileSpec.builder().delay("279ms").bandwidthMbps(25.0).build()))
                .isEmpty();
    }

    @Test
    void theValidatorNamesBadProfileNamesAndTooManyProfilesPerTopology() {
        VirtualTopologySpec badName = pair(List.of("ok", "Not_A_Name"), null).build();
        assertThat(TopologyValidator.validate(badName)).extracting(Violation::field).containsExactly("spec.links[0].profiles[1]");

        List<LinkSpec> overrides = new ArrayList<>();
        for (int i = 0; i <= ProfileNames.MAX_PER_TOPOLOGY; i++) {
            overrides.add(LinkSpec.builder().a("h1").b("h2").profiles(List.of("p" + i)).build());
        }
        VirtualTopologySpec many = pair(null, null).linkOverrides(overrides).build();
        assertThat(TopologyValidator.validate(many)).extracting(Violation::toString)
                .anyMatch(v -> v.contains("names " + (ProfileNames.MAX_PER_TOPOLOGY + 1) + " different LinkProfiles; at most "
                        + ProfileNames.MAX_PER_TOPOLOGY));
    }

    @Test
    void profileValuesGoThroughTheTopologyChecksOfTheLinksThatNameThem() {
        // a profile may shape, but the link of a vhostUser host cannot be shaped: the check sees the profile's values
        VirtualTopologySpec spec = VirtualTopologySpec.builder()
                .host(HostSpec.builder().name("h1").vhostUser(true).build())
                .switchSpec(io.nfvlab.api.topology.SwitchSpec.builder().name("s1").kind(io.nfvlab.api.topology.SwitchKind.OVS_DPDK)
                        .bridgeRef("br").build())
                .link(LinkSpec.builder().a("h1").b("s1").profiles(List.of("slow")).build())
                .build();
        assertThat(TopologyValidator.check(spec).valid()).isTrue();
        var checked = TopologyValidator.check(spec, LinkProfiles.of(spec, Map.of("slow", LinkParams.builder().delay("5ms").build())));
        assertThat(checked.violations()).extracting(Violation::field).containsExactly("spec.links[0]");
    }
}
