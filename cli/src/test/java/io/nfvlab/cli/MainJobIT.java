package io.nfvlab.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's commands, run as a user runs them: the launcher as a separate process, on the real kernel, then a
 * look at the kernel and OVS for anything left behind.
 */
class MainJobIT {
    @BeforeEach
    void needsRoot() {
        assumeTrue(HostInfo.isRoot(), "nfvlab run creates network namespaces and bridges: needs root");
    }

    /**
     * The criterion as written: after nothing but `git clone`, the README's command builds what it needs,
     * brings up linear-4, runs pingall and iperf, prints the Results lines and leaves nothing behind. The clone has
     * its own target directories, so its build cannot race with the Maven build running this test.
     */
    @Test
    void readmeMainJobFromAFreshCloneBuildsBringsUpLinear4PingsAllMeasuresIperfAndLeavesNothing(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        assumeTrue(java.nio.file.Files.isDirectory(CliProcess.REPO.resolve(".git")), "not a git checkout: nothing to clone");
        java.nio.file.Path clone = dir.resolve("nfvlab");
        var cloned = io.nfvlab.agent.process.CommandRunner.run(List.of("git", "clone", "--quiet", CliProcess.REPO.toString(),
                clone.toString()), Duration.ofMinutes(2));
        assertThat(cloned.ok()).as(cloned.describe()).isTrue();
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put("NFVLAB_BUILD", null); // the launcher decides, as for a user
        CliProcess.Result r = CliProcess.run(clone, List.of("./nfvlab", "run", "examples/linear-4.yaml"), null,
                Duration.ofMinutes(10), env);
        System.out.println(r.all());
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stderr()).contains("nfvlab: building the CLI with Maven", "nfvlab: built in ").doesNotContain("Exception");
        assertThat(r.stdout()).contains("*** Results: 0% dropped (12/12 received)")
                .containsPattern("\\*\\*\\* Results: \\['[0-9.]+ [GMK]bits/sec'\\]")
                .containsPattern("pingall linear-4-pingall completed in [0-9.]+ seconds")
                .containsPattern("iperf linear-4-iperf completed in [0-9.]+ seconds")
                .contains("*** Agent removed everything");
        assertThat(CliProcess.leftovers(CliProcess.token("linear-4"))).isEmpty();
    }

    @Test
    void treeWithKeepIsDrivenThroughItsPrompt() throws Exception {
        String script = String.join("\n",
                "pingall",
                "link s1 s2 down",
                "pingall",
                "link s1 s2 up",
                "exec h1 -- ip addr",
                "h1 ping -c1 -W2 h9",
                "exec h99 -- true",
                "exit", "");
        CliProcess.Result r = CliProcess.run(List.of("./nfvlab", "run", "--topo", "tree,depth=2,fanout=3", "--keep"),
                script, Duration.ofMinutes(6), CliProcess.BUILT);
        System.out.println(r.all());
        assertThat(r.exitCode()).as(r.all()).isZero();
        String out = r.stdout();
        int firstResults = out.indexOf("*** Results: 0% dropped (72/72 received)");
        int down = out.indexOf("*** link s1 <-> s2 down");
        int dropped = out.indexOf("*** Results: 50% dropped (36/72 received)");
        int up = out.indexOf("*** link s1 <-> s2 up");
        assertThat(List.of(firstResults, down, dropped, up)).as(out).doesNotContain(-1).isSorted();
        // with s1-s2 down, h1..h3 reach only each other
        assertThat(out).contains("h1 -> h2 h3 X X X X X X", "h4 -> X X X h5 h6 h7 h8 h9");
        assertThat(out.substring(up)).contains("inet 10.0.0.1/8", "h1-eth0")
                .contains("1 packets transmitted, 1 received");
        assertThat(r.stderr()).contains("*** unknown host h99 in topology tree-depth-2-fanout-3 (hosts: h1 h2 h3 h4 h5 h6 h7 h8 h9)")
                .doesNotContain("Exception");
        assertThat(CliProcess.leftovers(CliProcess.token("tree-depth-2-fanout-3"))).isEmpty();
    }

    @Test
    void aDpdkBridgeWithATestpmdTestComesUpMeasuresMppsAndIsRemoved(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var dpdk = io.nfvlab.agent.process.CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "get", "Open_vSwitch", ".",
                "dpdk_initialized"), Duration.ofSeconds(10));
        assumeTrue(dpdk.ok() && dpdk.stdout().strip().equals("true"), "ovs-vswitchd runs without DPDK (scripts/setup-host.sh enables it)");
        // the example with a bridge name of this test's own, so that it cannot meet another run's bridge
        java.nio.file.Path file = dir.resolve("dpdk.yaml");
        java.nio.file.Files.writeString(file, java.nio.file.Files.readString(CliProcess.REPO.resolve("examples/dpdkbridge.yaml"))
                .replace("name: dpdk0", "name: cli-it-dpdk").replace("bridgeName: br-dpdk0", "bridgeName: br-cliit")
                + """
                ---
                apiVersion: nfvlab.io/v1alpha1
                kind: TrafficTest
                metadata:
                  name: cli-it-testpmd
                spec:
                  type: testpmd
                  durationSeconds: 2
                  testpmd:
                    bridgeRef: cli-it-dpdk
                    ports: [vhu0, vhu1]
                """);
        CliProcess.Result r = CliProcess.run(List.of("./nfvlab", "run", file.toString()), null, Duration.ofMinutes(3), CliProcess.BUILT);
        System.out.println(r.all());
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).containsPattern("\\*\\*\\* cli-it-dpdk ready in [0-9.]+ s")
                .contains("*** br-cliit on node ", "vhu0=", "vhu1=", "*** testpmd: vhu0 <-> vhu1 on DpdkBridge cli-it-dpdk (flowgen)")
                .containsPattern("\\*\\*\\* vhu0 -> vhu1: tx [0-9.]+ Mpps, rx [0-9.]+ Mpps")
                .containsPattern("testpmd cli-it-testpmd completed in [0-9.]+ seconds")
                .contains("*** Agent removed everything");
        var bridges = io.nfvlab.agent.process.CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "list-br"), Duration.ofSeconds(10));
        assertThat(bridges.stdout().lines()).doesNotContain("br-cliit");
    }
}
