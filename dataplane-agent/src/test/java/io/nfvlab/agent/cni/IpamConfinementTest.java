package io.nfvlab.agent.cni;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * host-local, run by the root agent, writes where {@code ipam.dataDir} says, and a namespace tenant writes that (a
 * NetworkAttachmentDefinition): the directory is kept below the agent's IPAM root, and what host-local is handed is
 * the confined one. (CniMalformedInputTest sends such configurations through the executable.)
 */
class IpamConfinementTest {
    private static final CniRoots ROOTS = new CniRoots(Path.of("/run/t/shared"), Path.of("/run/t/state"), Path.of("/run/t/ipam"));

    private static CniRequest parse(String command, Map<String, Object> ipam) throws CniException {
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put("cniVersion", "1.1.0");
        conf.put("name", "n");
        conf.put("type", "nfvlab-cni");
        conf.put("host", Map.of("engine", "ovs-dpdk", "bridge", Map.of("bridgeName", "br0")));
        conf.put("ipam", ipam);
        return CniRequest.parse(Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", "c1", "CNI_IFNAME", "eth0",
                "CNI_NETNS", "/run/netns/x", "CNI_PATH", "/usr/lib/cni"), Json.write(conf), ROOTS);
    }

    private static Map<String, Object> hostLocal(String dataDir) {
        Map<String, Object> ipam = new LinkedHashMap<>(Map.of("type", "host-local", "subnet", "10.1.0.0/24"));
        if (dataDir != null) {
            ipam.put("dataDir", dataDir);
        }
        return ipam;
    }

    @Test
    void anAbsentDataDirBecomesTheIpamRootExplicitly() throws Exception {
        assertThat(parse("ADD", hostLocal(null)).ipam()).containsEntry("dataDir", "/run/t/ipam").containsEntry("subnet", "10.1.0.0/24");
        assertThat(parse("ADD", hostLocal("")).ipam()).containsEntry("dataDir", "/run/t/ipam");
    }

    @Test
    void aDataDirAtOrBelowTheRootIsKeptNormalised() throws Exception {
        assertThat(parse("ADD", hostLocal("/run/t/ipam")).ipam()).containsEntry("dataDir", "/run/t/ipam");
        assertThat(parse("DEL", hostLocal("/run/t/ipam/tenant-a/")).ipam()).containsEntry("dataDir", "/run/t/ipam/tenant-a");
        assertThat(parse("ADD", hostLocal("/run/t/ipam/./x")).ipam()).containsEntry("dataDir", "/run/t/ipam/x");
    }

    @Test
    void aDataDirOutsideTheRootIsInvalidNetworkConfigNamingTheField() {
        for (String dir : List.of("/etc", "/", "/var/lib/cni/networks", "/run/t/ipam2", "/run/t/ipa", "/run/t/state", "/run/t",
                "/run/t/ipam/../state", "relative", "/run/t/ipam/a b", "/run/t/ipam//x")) {
            for (String command : List.of("ADD", "DEL", "CHECK")) {
                assertThatThrownBy(() -> parse(command, hostLocal(dir))).as(command + " " + dir)
                        .isInstanceOfSatisfying(CniException.class, e -> {
                            assertThat(e.code()).isEqualTo(CniException.INVALID_NETWORK_CONFIG);
                            assertThat(e.getMessage()).startsWith("ipam.dataDir");
                        });
            }
        }
    }

    @Test
    void aDataDirOfTheWrongTypeIsADecodeFailure() {
        Map<String, Object> ipam = hostLocal(null);
        ipam.put("dataDir", 7);
        assertThatThrownBy(() -> parse("ADD", ipam)).isInstanceOfSatisfying(CniException.class, e -> {
            assertThat(e.code()).isEqualTo(CniException.DECODE_FAILURE);
            assertThat(e.getMessage()).isEqualTo("ipam.dataDir must be a string");
        });
    }

    @Test
    void ipamPluginsOtherThanHostLocalAreRefusedNamingWhatIsSupported() {
        for (String type : List.of("dhcp", "static", "whereabouts", "calico-ipam", "no-such-ipam")) {
            assertThatThrownBy(() -> parse("ADD", Map.of("type", type, "dataDir", "/run/t/ipam")))
                    .isInstanceOfSatisfying(CniException.class, e -> {
                        assertThat(e.code()).isEqualTo(CniException.INVALID_NETWORK_CONFIG);
                        assertThat(e.getMessage()).startsWith("ipam.type \"" + type + "\" is not supported: only host-local");
                    });
        }
    }

    @Test
    void aResolvConfIsRefusedForHostLocalWouldReadAnyFileOfTheNodeAsRoot() {
        Map<String, Object> ipam = hostLocal(null);
        ipam.put("resolvConf", "/etc/shadow");
        for (String command : List.of("ADD", "DEL", "CHECK")) {
            assertThatThrownBy(() -> parse(command, ipam)).as(command).isInstanceOfSatisfying(CniException.class, e -> {
                assertThat(e.code()).isEqualTo(CniException.INVALID_NETWORK_CONFIG);
                assertThat(e.getMessage()).startsWith("ipam.resolvConf is not supported");
            });
        }
    }

    @Test
    void rootsFromTheEnvironmentIncludeTheIpamRoot() {
        assertThat(CniRoots.fromEnvironment(Map.of(CniRoots.IPAM_ROOT_ENV, "/srv/ipam")).ipam()).isEqualTo(Path.of("/srv/ipam"));
        assertThat(CniRoots.fromEnvironment(Map.of()).ipam()).isEqualTo(Path.of("/var/lib/cni/networks"));
        assertThat(CniRoots.fromEnvironment(Map.of(CniRoots.IPAM_ROOT_ENV, "relative")).ipam()).isEqualTo(Path.of("/var/lib/cni/networks"));
        assertThat(CniRoots.under(Path.of("/tmp/x")).ipam()).isEqualTo(Path.of("/tmp/x/ipam"));
    }
}
