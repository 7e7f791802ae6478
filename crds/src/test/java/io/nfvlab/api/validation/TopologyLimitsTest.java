package io.nfvlab.api.validation;

import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopologySpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validator's side of the limits the CRD states (its fixtures under topologies/invalid pin the CRD's side):
 * bounded delay and jitter, unicast host MACs, controller targets, and spec.bridgeRef serving every ovs-dpdk switch.
 */
class TopologyLimitsTest {
    private static VirtualTopologySpec.VirtualTopologySpecBuilder twoHosts(HostSpec h1, SwitchSpec s1, LinkSpec l1) {
        return VirtualTopologySpec.builder()
                .host(h1)
                .host(HostSpec.builder().name("h2").build())
                .switchSpec(s1)
                .link(l1)
                .link(LinkSpec.builder().a("h2").b("s1").build());
    }

    private static List<String> problems(VirtualTopologySpec spec) {
        return TopologyValidator.validate(spec).stream().map(Violation::toString).toList();
    }

    private static final HostSpec H1 = HostSpec.builder().name("h1").build();
    private static final SwitchSpec S1 = SwitchSpec.builder().name("s1").build();
    private static final LinkSpec L1 = LinkSpec.builder().a("h1").b("s1").build();

    @Test
    void delayAndJitterAreAtMostTenSeconds() {
        assertThat(problems(twoHosts(H1, S1, L1.toBuilder().delay("10s").jitter("10000ms").build()).build())).isEmpty();
        assertThat(problems(twoHosts(H1, S1, L1.toBuilder().delay("99999s").build()).build()))
                .containsExactly("spec.links[0].delay: delay must be at most 10s, got 99999s");
        assertThat(problems(twoHosts(H1, S1, L1).linkDefaults(LinkParams.builder().delay("1ms").jitter("10.000001s").build()).build()))
                .containsExactly("spec.linkDefaults.jitter: jitter must be at most 10s, got 10.000001s");
    }

    @Test
    void durationsAreParsedStrictly() {
        for (String loose : List.of("0000000000000000001ms", "1.0000001s", "5 ms", "1e3ms", "-1ms", "1h", "")) {
            assertThat(problems(twoHosts(H1, S1, L1.toBuilder().delay(loose).build()).build())).as(loose)
                    .singleElement().asString().startsWith("spec.links[0].delay: \"" + loose + "\" is not a duration");
        }
    }

    @Test
    void aHostMacWithTheMulticastBitIsRefused() {
        assertThat(problems(twoHosts(H1.toBuilder().mac("01:00:5e:00:00:11").build(), S1, L1).build()))
                .containsExactly("spec.hosts[0].mac: \"01:00:5e:00:00:11\" is a multicast address (the lowest bit of its first "
                        + "octet is set): Linux gives an interface only a unicast MAC");
        assertThat(problems(twoHosts(H1.toBuilder().mac("ff:ff:ff:ff:ff:ff").build(), S1, L1).build())).hasSize(1);
        assertThat(problems(twoHosts(H1.toBuilder().mac("02:00:5E:00:00:11").build(), S1, L1).build())).isEmpty();
    }

    @Test
    void theAllZeroHostMacIsRefusedAsLinuxRefusesIt() {
        assertThat(problems(twoHosts(H1.toBuilder().mac("00:00:00:00:00:00").build(), S1, L1).build()))
                .containsExactly("spec.hosts[0].mac: \"00:00:00:00:00:00\" is the all-zero address: Linux refuses it on an interface");
        assertThat(problems(twoHosts(H1.toBuilder().mac("00:00:00:00:00:01").build(), S1, L1).build())).isEmpty();
    }

    @Test
    void controllerTargetsAreTcpOrSslHostAndPort() {
        for (String ok : List.of("tcp:127.0.0.1:6653", "ssl:[fd00::1]:6653", "tcp:onos.lab.svc:1", "ssl:ctl:65535")) {
            assertThat(problems(twoHosts(H1, S1.toBuilder().kind(SwitchKind.OVS).controller(ok).build(), L1).build())).as(ok).isEmpty();
        }
        for (String bad : List.of("unix:/var/run/openvswitch/db.sock", "ptcp:6653", "tcp:127.0.0.1", "tcp:127.0.0.1:0",
                "tcp:127.0.0.1:65536", "tcp:-oProxyCommand=x:1", "tcp:a_b:1", "tcp:h:1 --x", "tcp:[::1:1")) {
            assertThat(problems(twoHosts(H1, S1.toBuilder().kind(SwitchKind.OVS).controller(bad).build(), L1).build())).as(bad)
                    .singleElement().asString().startsWith("spec.switches[0].controller: \"" + bad + "\" is not a controller target");
        }
    }

    /** As the README says: a DpdkBridge named once in spec.bridgeRef serves every ovs-dpdk switch that names none. */
    @Test
    void specBridgeRefServesExplicitOvsDpdkSwitches() {
        SwitchSpec dpdk = S1.toBuilder().kind(SwitchKind.OVS_DPDK).build();
        assertThat(problems(twoHosts(H1, dpdk, L1).bridgeRef("dpdk0").build())).isEmpty();
        assertThat(problems(twoHosts(H1, dpdk, L1).build()))
                .containsExactly("spec.switches[0].bridgeRef: a switch of kind ovs-dpdk needs bridgeRef naming its DpdkBridge "
                        + "(here, or spec.bridgeRef for all)");
    }
}
