package io.nfvlab.agent.cni;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The ADD result in the shape of the version the runtime asked for, with a MAC (runtimes refuse one without). */
class CniResultVersionTest {
    private static final Map<String, Object> IPAM = Map.of("ips", List.of(Map.of("address", "10.1.0.2/24", "gateway", "10.1.0.1")));

    private static Map<String, Object> result(String version) throws Exception {
        String conf = "{\"cniVersion\":\"" + version + "\",\"name\":\"n\",\"type\":\"nfvlab-cni\","
                + "\"host\":{\"engine\":\"ovs-dpdk\",\"bridge\":{\"bridgeName\":\"br0\"}}}";
        CniRequest req = CniRequest.parse(Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "c1", "CNI_IFNAME", "eth0",
                "CNI_NETNS", "/run/netns/x"), conf);
        return CniPlugin.result(req, Path.of("/s/c1-eth0"), AttachmentNames.mac("c1", "eth0"), IPAM);
    }

    @Test
    void macIsStableLocallyAdministeredUnicast() {
        String mac = AttachmentNames.mac("c1", "eth0");
        assertThat(mac).matches("02(:[0-9a-f]{2}){5}").isEqualTo(AttachmentNames.mac("c1", "eth0"));
        assertThat(mac).isNotEqualTo(AttachmentNames.mac("c1", "eth1")).isNotEqualTo(AttachmentNames.mac("c2", "eth0"));
    }

    @Test
    void resultFollowsTheRequestedVersion() throws Exception {
        for (String v : CniRequest.SUPPORTED_VERSIONS) {
            Map<String, Object> r = result(v);
            assertThat(r.get("cniVersion")).isEqualTo(v);
            Map<?, ?> iface = (Map<?, ?>) ((List<?>) r.get("interfaces")).get(0);
            assertThat(iface.get("mac")).as(v).isEqualTo(AttachmentNames.mac("c1", "eth0"));
            assertThat(iface.containsKey("socketPath")).as(v).isEqualTo(v.equals("1.1.0"));
            Map<?, ?> ip = (Map<?, ?>) ((List<?>) r.get("ips")).get(0);
            assertThat(ip.get("version")).as(v).isEqualTo(v.startsWith("0.") ? "4" : null);
            assertThat(ip.get("interface")).isEqualTo(0);
        }
    }

    @Test
    void errorsCarryTheRequestedVersion() {
        CniPlugin plugin = new CniPlugin(AttachmentPublisher.NONE, ContainerLocks.NONE);
        var out = plugin.execute(Map.of("CNI_COMMAND", "ADD"), "{\"cniVersion\":\"0.4.0\",\"name\":\"n\"}");
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.stdout()).startsWith("{\"cniVersion\":\"0.4.0\",\"code\":");
        assertThat(plugin.execute(Map.of("CNI_COMMAND", "ADD"), "{\"cniVersion\":\"9.9.9\"}").stdout())
                .startsWith("{\"cniVersion\":\"1.1.0\",\"code\":1,");
    }
}
