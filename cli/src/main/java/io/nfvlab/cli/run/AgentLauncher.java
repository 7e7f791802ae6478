package io.nfvlab.cli.run;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.cli.CliException;

/** Starts the dataplane agent for this machine in this JVM, as the DaemonSet would run it on a node. */
final class AgentLauncher {
    private AgentLauncher() {
    }

    static AutoCloseable start(KubernetesClient client, String nodeName) {
        throw CliException.failure("the dataplane agent is not available in this build");
    }
}
