package io.nfvlab.cli;

import io.nfvlab.cli.prompt.Prompt;
import io.nfvlab.cli.main.Main;
import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.LinkState;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.controller.OperatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Mininet commands as `nfvlab <command> --kubeconfig …` against a cluster: here the embedded API server with
 * the real operator and an agent on the in-memory dataplane (no root needed; the kernel path is in the ITs).
 */
class ClusterCommandsTest {
    @TempDir
    Path dir;
    private EmbeddedApiServer server;
    private NfvlabOperator operator;
    private Agent agent;
    private KubernetesClient agentClient;
    private Path kubeconfig;
    private Path topology;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void start() throws IOException {
        server = EmbeddedApiServer.start();
        operator = NfvlabOperator.start(server.newClient(), OperatorConfig.builder().embedded(true).build());
        agentClient = server.newClient();
        agent = Agent.start(agentClient, AgentConfig.builder().nodeName("node-a").dataplane(new FakeDataplane())
                .embedded(true).sweepOrphansOnStart(false).resyncInterval(Duration.ofSeconds(1)).build());
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, server.kubeconfig("default"));
        topology = dir.resolve("lin3.yaml");
        Files.writeString(topology, """
                apiVersion: nfvlab.io/v1alpha1
                kind: VirtualTopology
                metadata:
                  name: lin3
                spec:
                  topology: {type: "linear,3"}
                """);
    }

    @AfterEach
    void stop() {
        agent.close();
        operator.close();
        agentClient.close();
        server.close();
    }

    private int nfvlab(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        // cluster options right after the command: after exec's host everything belongs to the command
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(args[0], "--kubeconfig", kubeconfig.toString(), "-n", "lab"));
        all.addAll(java.util.Arrays.asList(args).subList(1, args.length));
        return Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void applyInspectLinkDownAndDeleteOnACluster() {
        assertThat(nfvlab("apply", topology.toString(), "--wait")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("virtualtopology.nfvlab.io/lin3 created", "virtualtopology.nfvlab.io/lin3 ready");

        assertThat(nfvlab("nodes")).isZero();
        assertThat(out.toString()).containsPattern("h1 +host +node-a +10\\.0\\.0\\.1/8 +nfv-[0-9a-f]{5}-h1")
                .containsPattern("s3 +linux-bridge +node-a");

        assertThat(nfvlab("net", "-o", "json")).isZero();
        assertThat(out.toString()).contains("\"h1\" : [ {", "\"interface\" : \"s2-eth3\"");

        assertThat(nfvlab("link", "s1", "s2", "down")).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("*** link s1 <-> s2 down (applied in");
        VirtualTopology t = server.client().resources(VirtualTopology.class).inNamespace("lab").withName("lin3").get();
        assertThat(t.getSpec().getLinkOverrides()).singleElement().satisfies(o -> assertThat(o.getState()).isEqualTo(LinkState.DOWN));
        assertThat(nfvlab("links", "-o", "yaml")).isZero();
        assertThat(out.toString()).contains("a: s2-eth2\n  b: s1-eth2\n  state: down");

        assertThat(nfvlab("link", "s1", "h3", "down")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString().strip()).isEqualTo("nfvlab: no link between s1 and h3 in topology lin3");
        assertThat(nfvlab("link", "s1", "s2", "sideways")).isEqualTo(ExitCodes.USAGE);
        // shaping a running link: merged into the pair's override; a change the validator refuses is never written
        assertThat(nfvlab("link", "s2", "s1", "up", "delay=5ms", "loss=1")).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("*** link s2 <-> s1 up delay=5ms loss=1 (applied in");
        LinkSpec shaped = server.client().resources(VirtualTopology.class).inNamespace("lab").withName("lin3").get()
                .getSpec().getLinkOverrides().get(0);
        assertThat(List.of(shaped.getState(), shaped.getDelay(), shaped.getLossPercent())).containsExactly(LinkState.UP, "5ms", 1.0);
        assertThat(nfvlab("link", "s1", "s2", "delay=none", "reorder=10")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("spec.linkOverrides[0].reorderPercent", "needs a delay");
        assertThat(server.client().resources(VirtualTopology.class).inNamespace("lab").withName("lin3").get()
                .getSpec().getLinkOverrides()).containsExactly(shaped);

        assertThat(nfvlab("status")).isZero();
        assertThat(out.toString()).containsPattern("lin3 +True +3/3 +5/5").contains("VirtualTopology/lin3");

        assertThat(nfvlab("exec", "h9", "--", "true")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString().strip()).isEqualTo("nfvlab: unknown host h9 in topology lin3 (hosts: h1 h2 h3)");

        assertThat(nfvlab("exec", "h1", "--", "true")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString().strip()).startsWith("nfvlab: host h1 runs on node node-a, this is node ")
                .endsWith(": exec works only on the node that runs the host");

        assertThat(nfvlab("delete")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("virtualtopology.nfvlab.io/lin3 deleted");
        assertThat(server.client().resources(VirtualTopology.class).inNamespace("lab").list().getItems()).isEmpty();
        assertThat(nfvlab("nodes")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString().strip()).startsWith("nfvlab: no VirtualTopology in namespace lab");
    }

    @Test
    void applyTakesALinkProfileAndTheTopologyThatNamesItFromOneFileAndTheStatusSaysWhichValuesAreInForce() throws IOException {
        Path file = dir.resolve("wan.yaml");
        // the topology first: apply still creates the profile before it
        Files.writeString(file, """
                apiVersion: nfvlab.io/v1alpha1
                kind: VirtualTopology
                metadata: {name: wan}
                spec:
                  topology: {type: "linear,2"}
                  linkOverrides:
                    - {a: s1, b: s2, profiles: [slow-wan]}
                ---
                apiVersion: nfvlab.io/v1alpha1
                kind: LinkProfile
                metadata: {name: slow-wan}
                spec: {delay: 30ms, bandwidthMbps: 2}
                """);
        assertThat(nfvlab("apply", "-f", file.toString(), "--wait")).as(err.toString()).isZero();
        assertThat(out.toString()).containsSubsequence("linkprofile.nfvlab.io/slow-wan created",
                "virtualtopology.nfvlab.io/wan created", "virtualtopology.nfvlab.io/wan ready");
        VirtualTopology t = server.client().resources(VirtualTopology.class).inNamespace("lab").withName("wan").get();
        assertThat(t.getStatus().getProfiles()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("slow-wan");
            assertThat(p.getValues().getDelay()).isEqualTo("30ms");
            assertThat(p.getValues().getBandwidthMbps()).isEqualTo(2.0);
        });
        assertThat(server.client().resources(io.nfvlab.api.profile.LinkProfile.class).withName("slow-wan").get()
                .getMetadata().getNamespace()).isNull();
        // the commands that show links show the profile's values on the link that names it
        assertThat(nfvlab("links", "-t", "wan", "-o", "yaml")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("delay: 30ms");

        assertThat(nfvlab("delete", "-f", file.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("virtualtopology.nfvlab.io/wan deleted", "linkprofile.nfvlab.io/slow-wan deleted");
        assertThat(server.client().resources(io.nfvlab.api.profile.LinkProfile.class).list().getItems()).isEmpty();

        // the API server checks a profile against its CRD as it checks a link
        Path bad = dir.resolve("bad-profile.yaml");
        Files.writeString(bad, """
                apiVersion: nfvlab.io/v1alpha1
                kind: LinkProfile
                metadata: {name: shaky}
                spec: {jitter: 5ms}
                """);
        assertThat(nfvlab("apply", "-f", bad.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("jitter needs a delay");
        assertThat(server.client().resources(io.nfvlab.api.profile.LinkProfile.class).list().getItems()).isEmpty();
    }

    @Test
    void applyAndDeleteTakeFilesWithDashFAsKubectlDoesAndGraphShowsTheStatus() throws IOException {
        assertThat(nfvlab("apply", "-f", topology.toString(), "--wait")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("virtualtopology.nfvlab.io/lin3 created", "virtualtopology.nfvlab.io/lin3 ready");

        assertThat(nfvlab("graph", "-o", "json")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("\"name\" : \"h1\"", "\"kubeNode\" : \"node-a\"", "\"state\" : \"READY\"")
                .doesNotContain("PENDING", "DECLARED");
        assertThat(nfvlab("graph")).isZero();
        assertThat(out.toString()).contains("label=\"node node-a\";", "fillcolor=\"#c8f0c8\"");

        assertThat(nfvlab("apply")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("nfvlab: nothing to apply: give the files with -f FILE (or -f - for stdin)");

        assertThat(nfvlab("delete", topology.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("nfvlab: " + topology + " is not a topology name (did you mean -f? `delete -f "
                + topology + "` deletes what the file names)");
        assertThat(nfvlab("delete", "lin3.yaml")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString().strip()).isEqualTo("nfvlab: no VirtualTopology lin3.yaml in namespace lab (did you mean -f? "
                + "`delete -f lin3.yaml` deletes what the file names)");
        assertThat(nfvlab("delete", "lin9")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString().strip()).isEqualTo("nfvlab: no VirtualTopology lin9 in namespace lab");

        assertThat(nfvlab("delete", "-f", topology.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("virtualtopology.nfvlab.io/lin3 deleted");
        assertThat(server.client().resources(VirtualTopology.class).inNamespace("lab").list().getItems()).isEmpty();
    }

    @Test
    void thePromptRunsCommandsAndReportsBadOnesInOneLine() throws IOException {
        assertThat(nfvlab("apply", topology.toString(), "--wait")).isZero();
        StringWriter promptOut = new StringWriter();
        StringWriter promptErr = new StringWriter();
        Session session = Session.builder().client(server.client()).namespace("lab").out(new PrintWriter(promptOut, true))
                .err(new PrintWriter(promptErr, true)).localNode("node-a").prompt(true).build();
        new Prompt(session, new BufferedReader(new StringReader("intfs\nfrobnicate\nlink s1\nh7 ping h1\nhelp\nexit\nnodes\n"))).run();
        assertThat(promptOut.toString()).startsWith(Prompt.PROMPT + "h1: h1-eth0\n")
                .contains("pingall ", "exit ")
                .doesNotContain("NAME"); // nothing runs after exit
        assertThat(promptErr.toString().lines()).containsExactly(
                "*** unknown command: frobnicate (try help)",
                "*** Missing required parameters: 'NODE2', 'up|down|KEY=VALUE' (see `link --help`)",
                "*** unknown command: h7 (try help)");
    }
}
