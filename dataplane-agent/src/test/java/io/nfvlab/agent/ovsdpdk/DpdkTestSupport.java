package io.nfvlab.agent.ovsdpdk;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.bridge.DpdkBridgeSpec;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.PlannedDpdkBridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Shared pieces of the OVS-DPDK kernel tests: preconditions, a node state for one bridge, leak checks. Public for the
 * traffic-generator module's DpdkGeneratorIT (through the test-jar).
 */
public final class DpdkTestSupport {
    /** A node name of these tests only: sweeps by other tests' agents (other node names) never touch our bridges. */
    static final String NODE = "nvdk-it-node";
    private DpdkTestSupport() {
    }

    public static void assumeOvsDpdk() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: creates OVS-DPDK ports and hugepage mappings");
        var r = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "get", "Open_vSwitch", ".", "dpdk_initialized"), Duration.ofSeconds(10));
        assumeTrue(r.ok(), "needs a running ovs-vswitchd (scripts/setup-host.sh)");
        assumeTrue(r.stdout().strip().equals("true"), "needs ovs-vswitchd with DPDK initialized (scripts/setup-host.sh --dpdk)");
    }

    public static NetworkNodeState state(String token, String name, Path socketDir, DpdkBridgeSpec spec) {
        NetworkNodeState state = new NetworkNodeState();
        state.setMetadata(new ObjectMetaBuilder().withName("dpdkbridge.cluster." + name + ".nvdk-it-node").withGeneration(1L).build());
        state.setSpec(NetworkNodeStateSpec.builder().nodeName(NODE)
                .owner(OwnerRef.builder().kind("DpdkBridge").name(name).token(token).generation(1L).build())
                .dpdkBridge(PlannedDpdkBridge.builder().name(name).socketDir(socketDir.toString()).spec(spec).build())
                .build());
        return state;
    }

    /** OVS bridges and interfaces whose names start with the prefix. */
    public static List<String> ovsObjects(String prefix) {
        String bridges = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "list-br"), Duration.ofSeconds(10)).orThrow().stdout();
        String ifaces = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "--bare", "--columns=name", "list", "Interface"),
                Duration.ofSeconds(10)).orThrow().stdout();
        return Stream.concat(bridges.lines(), ifaces.lines()).map(String::strip).filter(s -> s.startsWith(prefix)).distinct().toList();
    }

    public static List<String> hugepageFiles(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("/dev/hugepages"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
        }
    }

    public static void forceRemove(String prefix) {
        for (String name : ovsObjects(prefix)) {
            CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "--if-exists", "del-br", name), Duration.ofSeconds(10));
            CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "--if-exists", "del-port", name), Duration.ofSeconds(10));
        }
    }
}
