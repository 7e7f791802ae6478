package io.nfvlab.cli.run;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.NodeAgent;
import io.nfvlab.agent.cni.CniSocketServer;

import java.nio.file.Path;

/**
 * Starts the dataplane agent for this machine in this JVM through the agent's composition root, with the settings
 * that differ from a node's daemon (AgentMain) stated here.
 */
final class AgentLauncher {
    private AgentLauncher() {
    }

    /**
     * @param cniSocket where to serve nfvlab-cni's invocations, so that containers on this machine (podman with a CNI
     *                  network of nfvlab-cni) attach through this run without an agent daemon; not served when null, or
     *                  when a live agent (a daemon, another run) already serves it: that socket stays that agent's
     * @param beforeWatching blocks until the agent may read nfvlab resources (their CRDs installed)
     * @param containerHosts whether this run can have container hosts: without, the container runtime is not asked
     */
    static NodeAgent start(KubernetesClient client, String nodeName, Path cniSocket, Runnable beforeWatching,
                           boolean containerHosts) {
        boolean serve = cniSocket != null && !CniSocketServer.servedAt(cniSocket);
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
                .cniSocket(serve ? cniSocket : null)
                .noContainerRuntime(!containerHosts)
                .beforeWatching(beforeWatching)
                .start();
    }
}
