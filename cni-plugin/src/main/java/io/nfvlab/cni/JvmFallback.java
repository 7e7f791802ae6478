package io.nfvlab.cni;

import io.nfvlab.agent.cni.AttachmentPublisher;
import io.nfvlab.agent.cni.CniPlugin;
import io.nfvlab.agent.cni.CniRoots;
import io.nfvlab.agent.cni.ContainerLocks;
import io.nfvlab.agent.cni.Training;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The plugin without an agent (bin/nfvlab-cni-jvm, which the thin client executes when the agent's socket is not
 * there): the same plugin logic the agent runs, in a JVM of its own, with the process's environment and stdin. It
 * holds no Kubernetes credentials, so it publishes no pod annotation. Its roots (CniRoots) come from the environment
 * the runtime gives every plugin, which the node's admin sets, not from the network configuration.
 */
public final class JvmFallback {
    private JvmFallback() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals("--train")) {
            Training.run();
            return;
        }
        String stdin = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        CniPlugin.Outcome outcome = new CniPlugin(AttachmentPublisher.NONE, ContainerLocks.NONE,
                CniRoots.fromEnvironment(System.getenv())).execute(System.getenv(), stdin);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        out.print(outcome.printed());
        out.flush();
        System.err.print(outcome.stderr());
        System.err.flush();
        System.exit(outcome.exitCode());
    }
}
