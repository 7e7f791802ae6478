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

    /**
     * What the test's token left behind: namespaces, root interfaces, OVS bridges/ports, as lines; empty when clean.
     * A teardown is done once the names are free, nothing holds the namespaces and OVSDB has no row of the owner;
     * the kernel then destroys a switch namespace by itself within seconds (the marker's root end goes with it), and
     * ovs-vswitchd removes deleted bridges' devices. While root interfaces are all that is left, this waits for them
     * (up to {@link #KERNEL_RELEASE}): still there after that is a leak.
     */
    public static List<String> leftovers(String token) {
        return afterKernelRelease(() -> leftoversNow(token), "link ");
    }

    /** One look at what is left, as lines; {@link #afterKernelRelease} looks again while root interfaces are all. */
    @FunctionalInterface
    public interface LeftoverScan<E extends Exception> {
        List<String> now() throws E;
    }

    /**
     * {@code scan}'s lines once nothing but root interfaces (lines starting with {@code interfacePrefix}) is left
     * or {@link #KERNEL_RELEASE} has passed: the kernel destroys a deleted switch namespace, and the marker's root
     * end with it, after the teardown reported done; ovs-vswitchd removes deleted bridges' devices after OVSDB.
     */
    public static <E extends Exception> List<String> afterKernelRelease(LeftoverScan<E> scan, String interfacePrefix)
            throws E {
        long deadline = System.nanoTime() + KERNEL_RELEASE.toNanos();
        List<String> left = scan.now();
        while (!left.isEmpty() && left.stream().allMatch(l -> l.startsWith(interfacePrefix))
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = scan.now();
        }
        return left;
    }

    /** How long the kernel may take to destroy a deleted switch namespace in a test (measured: ≈2 s at load 20). */
    public static final Duration KERNEL_RELEASE = Duration.ofSeconds(30);

    private static List<String> leftoversNow(String token) {
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
