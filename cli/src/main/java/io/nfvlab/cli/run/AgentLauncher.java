package io.nfvlab.cli.run;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.NodeAgent;

/**
 * Starts the dataplane agent for this machine in this JVM through the agent's composition root, with the settings
 * that differ from a node's daemon (AgentMain) stated here.
 */
final class AgentLauncher {
    private AgentLauncher() {
    }

    static NodeAgent start(KubernetesClient client, String nodeName) {
        return NodeAgent.builder()
                .client(client)
                .nodeName(nodeName)
                .embedded(true)
                .traffic(true)
                .dpdk(true)
                .pingParallelism(NodeAgent.DEFAULT_PING_PARALLELISM)
                // The embedded API server starts empty, so every marked object on this machine would look orphaned,
                // including those of another nfvlab run or test in progress: never sweep from the CLI.
                .sweepOrphansOnStart(false)
                // The node's CNI socket belongs to the node's agent (a daemon, or another run): a CLI run serving it
                // would take it over and leave it behind. nfvlab run attaches no pods.
                .cniSocket(null)
                .start();
    }
}
