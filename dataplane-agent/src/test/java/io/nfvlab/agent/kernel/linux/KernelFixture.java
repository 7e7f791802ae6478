package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.Nfvlab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Helpers for kernel tests: root check, unique names, ping/iperf3 between the test's own namespaces, leak checks. */
public final class KernelFixture {
    private KernelFixture() {
    }

    public static void assumeRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")) && !Boolean.getBoolean("nfvlab.kernel.skip"),
                "kernel tests create namespaces, veths and OVS bridges: they need root (and -Dnfvlab.kernel.skip unset)");
    }

    public static void assumeOvs() {
        assumeTrue(CommandRunner.run(List.of("ovs-vsctl", "--timeout=3", "show"), Duration.ofSeconds(5)).ok(),
                "OVS is not running (scripts/setup-host.sh starts it)");
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    public static CommandRunner.Result inNs(String netns, Duration timeout, String... argv) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        cmd.addAll(List.of(argv));
        return CommandRunner.run(cmd, timeout);
    }

    public static boolean ping(String netns, String address) {
        return inNs(netns, Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", address).ok();
    }

    /** What the test's token left behind: namespaces, root interfaces, OVS bridges/ports, as lines; empty when clean. */
    public static List<String> leftovers(String token) {
        List<String> out = new ArrayList<>();
        for (String line : CommandRunner.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).stdout().split("\n")) {
            if (line.startsWith(Nfvlab.NETNS_PREFIX + token + "-")) out.add("netns " + line);
        }
        for (String line : CommandRunner.run(List.of("ip", "-o", "link", "show"), Duration.ofSeconds(10)).stdout().split("\n")) {
            if (line.contains(" nv" + token) || line.contains("nfvlab:" + token + ":")) out.add("link " + line);
        }
        CommandRunner.Result ovs = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "--bare", "--columns=name",
                "find", "Port", "external_ids:" + Nfvlab.OVS_OWNER_KEY + "=\"" + token + "\""), Duration.ofSeconds(10));
        if (ovs.ok() && !ovs.stdout().isBlank()) out.add("ovs ports " + ovs.stdout().strip());
        CommandRunner.Result br = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "--bare", "--columns=name",
                "find", "Bridge", "external_ids:" + Nfvlab.OVS_OWNER_KEY + "=\"" + token + "\""), Duration.ofSeconds(10));
        if (br.ok() && !br.stdout().isBlank()) out.add("ovs bridges " + br.stdout().strip());
        return out;
    }
}
