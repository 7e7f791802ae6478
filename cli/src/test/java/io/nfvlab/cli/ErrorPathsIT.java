package io.nfvlab.cli;

import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.node.KernelNames;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The one-line errors and exit codes of the real processes (launcher and jar). */
class ErrorPathsIT {
    private static final String JAR = "cli/target/nfvlab.jar";
    private static final Duration LIMIT = Duration.ofMinutes(2);

    @BeforeEach
    void needsRoot() {
        assumeTrue(HostInfo.isRoot(), "these tests switch to an unprivileged user and need root to do so");
    }

    @Test
    void withoutRootTheLauncherAndTheJarSaySoAndExit77() throws Exception {
        for (List<String> cmd : List.of(List.of("./nfvlab", "run", "examples/linear-4.yaml"),
                List.of("java", "-jar", JAR, "run", "examples/linear-4.yaml"))) {
            List<String> argv = new java.util.ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
            argv.addAll(cmd);
            CliProcess.Result r = CliProcess.run(argv, null, LIMIT, CliProcess.BUILT);
            assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.NOT_ROOT);
            assertThat(r.stderr().strip()).startsWith("nfvlab: ").contains("needs root", "sudo").doesNotContain("\n");
        }
    }

    @Test
    void aMissingOvsProgramIsNamedWithItsPackage(@TempDir Path bin) throws Exception {
        // a PATH with iproute2 but without Open vSwitch
        for (String tool : List.of("ip", "tc")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/sbin", tool));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        CliProcess.Result r = CliProcess.run(List.of(java, "-jar", JAR, "run", "--topo", "linear,2", "--switch", "ovs"),
                null, LIMIT, Map.of("PATH", bin.toString()));
        assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.stderr().strip()).isEqualTo("nfvlab: missing ovs-vsctl (Debian package openvswitch-switch): install it "
                + "with `sudo apt-get install openvswitch-switch`, or run `sudo scripts/setup-host.sh`");
    }

    @Test
    void openVswitchNotRunningIsOneLine(@TempDir Path rundir) throws Exception {
        // ovs-vsctl looks for the database socket in OVS_RUNDIR: an empty one is an OVS that does not run
        CliProcess.Result r = CliProcess.run(List.of("java", "-jar", JAR, "run", "--topo", "linear,2", "--switch", "ovs"),
                null, LIMIT, Map.of("OVS_RUNDIR", rundir.toString()));
        assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.stderr().strip()).startsWith("nfvlab: Open vSwitch is not running").contains("setup-host.sh").doesNotContain("\n");
    }

    @Test
    void aFileThatDoesNotParseAndAnInvalidTopologyAreOneLineWithExit1(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "kind: VirtualTopology\napiVersion: nfvlab.io/v1alpha1\nmetadata:\n  name: t\nspec:\n  topology: {type: linear, k: four}\n");
        CliProcess.Result r = CliProcess.run(List.of("java", "-jar", JAR, "run", bad.toString()), null, LIMIT, Map.of());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.stderr().strip()).startsWith("nfvlab: " + bad).contains("spec.topology.k").doesNotContain("\n");

        CliProcess.Result usage = CliProcess.run(List.of("java", "-jar", JAR, "run", "--topo", "linear,4", "--bogus"), null, LIMIT, Map.of());
        assertThat(usage.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.stderr().strip()).startsWith("nfvlab: Unknown option: '--bogus'").doesNotContain("\n");
    }

    @Test
    void whatTheNodeRefusesFailsAsDegradedInOneLineAndIsTornDown(@TempDir Path dir) throws Exception {
        // Valid to the schema and the validator, which cannot know this node: a device that is not nfvlab's already
        // holds a name the agent needs in the root namespace (its switch namespace's marker: the switch ends of links
        // live inside that namespace). The agent must not take it over or delete it.
        String squatted = KernelNames.switchMarker(CliProcess.token("cli-degraded"), 'a');
        String peer = "nvq" + Long.toHexString(System.nanoTime() & 0xffffffL);
        run(List.of("ip", "link", "add", squatted, "type", "veth", "peer", "name", peer));
        try {
            Path file = dir.resolve("degraded.yaml");
            Files.writeString(file, """
                    apiVersion: nfvlab.io/v1alpha1
                    kind: VirtualTopology
                    metadata:
                      name: cli-degraded
                    spec:
                      hosts:
                        - {name: h1}
                        - {name: h2}
                      switches:
                        - {name: s1}
                      links:
                        - {a: h1, b: s1}
                        - {a: h2, b: s1}
                    """);
            CliProcess.Result r = CliProcess.run(List.of("./nfvlab", "run", file.toString()), null, Duration.ofMinutes(3),
                    CliProcess.BUILT);
            assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.stderr().strip()).startsWith("nfvlab: VirtualTopology cli-degraded is degraded: node ")
                    .contains("device " + squatted + " exists and is not marked by this agent").doesNotContain("\n");
            assertThat(r.stdout()).contains("; degraded: ", "*** Agent removed everything");
            assertThat(Files.exists(Path.of("/sys/class/net", squatted))).as("the device the agent does not own is still there").isTrue();
        } finally {
            run(List.of("ip", "link", "del", squatted));
        }
        assertThat(CliProcess.leftovers(CliProcess.token("cli-degraded"))).isEmpty();
    }

    private static void run(List<String> argv) {
        CommandRunner.Result r = CommandRunner.run(argv, Duration.ofSeconds(10));
        assertThat(r.exitCode()).as(argv + ": " + r.stderr()).isZero();
    }
}
