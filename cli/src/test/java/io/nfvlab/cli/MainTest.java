package io.nfvlab.cli;

import io.nfvlab.cli.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Exit codes and one-line errors of paths that need no API server and no root. */
class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : new String[]{"run", "nodes", "net", "links", "intfs", "dump", "pingall", "pingpair", "iperf",
                "iperfudp", "link", "exec", "apply", "delete", "status", "completion"}) {
            assertThat(run(sub, "--help")).as(sub).isZero();
        }
        assertThat(out.toString()).contains("Usage: nfvlab run", "Usage: nfvlab exec", "--kubeconfig", "-o, --output");
    }

    @Test
    void usageErrorsExitWith2AndOneLine() {
        assertThat(run("frobnicate")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("run")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("run", "--topo", "linear,4", "--test", "bogus")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("run", "--topo", "linear,4", "--switch", "cisco")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("nodes", "-o", "xml")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().lines()).hasSize(5).allMatch(l -> l.startsWith("nfvlab: "));
        assertThat(err.toString()).contains("give FILEs or --topo", "--switch cisco: use linux-bridge or ovs");
    }

    @Test
    void aFileThatDoesNotParseFailsWith1NamingFileAndLine(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "apiVersion: nfvlab.io/v1alpha1\nkind: VirtualTopology\nmetadata: {name: x\nspec: [\n");
        assertThat(run("run", bad.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).startsWith("nfvlab: " + bad).contains("malformed YAML");
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(err.toString()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void aRunWhoseTopologyNamesALinkProfileNoFileDefinesFailsWith2NamingIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("topo.yaml");
        Files.writeString(file, """
                apiVersion: nfvlab.io/v1alpha1
                kind: LinkProfile
                metadata: {name: lan}
                spec: {delay: 1ms}
                ---
                apiVersion: nfvlab.io/v1alpha1
                kind: VirtualTopology
                metadata: {name: wan}
                spec:
                  topology: {type: "linear,2"}
                  linkDefaults: {profiles: [lan]}
                  linkOverrides:
                    - {a: s1, b: s2, profiles: [lan, satellite]}
                """);
        assertThat(run("run", file.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("nfvlab: VirtualTopology wan: spec.linkOverrides[0].profiles[1]: the override of "
                + "link s1-s2 names LinkProfile satellite, which none of the files defines; give its file too, e.g. examples/profiles/");
    }

    @Test
    void anInvalidLinkProfileFailsBeforeAnythingStartsNamingItsField(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("profile.yaml");
        Files.writeString(file, """
                apiVersion: nfvlab.io/v1alpha1
                kind: LinkProfile
                metadata: {name: shaky}
                spec: {jitter: 5ms}
                """);
        assertThat(run("run", file.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString().strip()).startsWith("nfvlab: " + file + ": LinkProfile shaky: invalid: spec.jitter");
    }

    @Test
    void anInvalidTopologyFailsWithTheFieldPath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("topo.yaml");
        Files.writeString(file, """
                apiVersion: nfvlab.io/v1alpha1
                kind: VirtualTopology
                metadata:
                  name: broken
                spec:
                  hosts:
                    - name: h1
                  switches:
                    - name: s1
                  links:
                    - a: h1
                      b: s9
                """);
        assertThat(run("apply", file.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString().strip()).startsWith("nfvlab: " + file + ": VirtualTopology broken: invalid: spec.links[0].b")
                .contains("s9");
        assertThat(err.toString().lines()).hasSize(1);
    }

    @Test
    void aMissingFileIsOneLine() {
        assertThat(run("run", "/nonexistent/x.yaml")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString().strip()).isEqualTo("nfvlab: /nonexistent/x.yaml: no such file");
    }

    @Test
    void anUnreachableClusterIsOneLine(@TempDir Path dir) throws IOException {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "http://127.0.0.1:1"}
                contexts:
                - name: c
                  context: {cluster: c, user: u, namespace: lab}
                current-context: c
                users:
                - name: u
                  user: {token: t}
                """);
        assertThat(run("status", "--kubeconfig", kubeconfig.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString().strip()).startsWith("nfvlab: cannot reach the Kubernetes API server").doesNotContain("\n");
    }

    @Test
    void completionScriptCoversTheSubcommands() {
        assertThat(run("completion")).isZero();
        assertThat(out.toString()).contains("complete -F", "pingall", "iperfudp");
    }
}
