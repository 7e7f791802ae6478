package io.nfvlab.cni;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executable on a node without an agent: it runs nfvlab-cni-jvm next to itself (the packaged plugin jar), which
 * answers as the agent would. Needs neither root nor OVS (CniPluginIT attaches through this path for real).
 */
class JvmFallbackIT {
    @TempDir
    Path dir;

    private Map<String, String> noAgent(String command) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("NFVLAB_CNI_SOCKET", dir.resolve("no-agent.sock").toString());
        env.put("PATH", System.getenv("PATH"));
        return env;
    }

    @Test
    void versionAndErrorsComeFromTheJvmPlugin() throws Exception {
        CniExecutable.Run version = CniExecutable.run(noAgent("VERSION"), "{\"cniVersion\":\"1.0.0\"}");
        assertThat(version.exitCode()).as(version.stderr()).isZero();
        assertThat(version.stdout()).startsWith("{\"cniVersion\":\"1.0.0\",").contains("\"supportedVersions\"").endsWith("}\n");

        Map<String, String> add = noAgent("ADD");
        add.put("CNI_CONTAINERID", "../../etc");
        CniExecutable.Run bad = CniExecutable.run(add, "{\"cniVersion\":\"1.1.0\"}");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.errorCode()).as(bad.stdout()).isEqualTo(7);
    }
}
