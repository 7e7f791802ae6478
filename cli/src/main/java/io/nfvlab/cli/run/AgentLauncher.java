package io.nfvlab.cli.run;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import io.nfvlab.agent.dpdk.OvsDpdkBridges;
import io.nfvlab.agent.traffic.ProcessTrafficJobs;

/** Starts the dataplane agent for this machine in this JVM, as the DaemonSet runs it on a node. */
final class AgentLauncher {
    private AgentLauncher() {
    }

    static Agent start(KubernetesClient client, String nodeName) {
        return Agent.start(client, AgentConfig.builder()
                .nodeName(nodeName)
                .embedded(true)
                // testpmd jobs find their DpdkBridge among this node's states (the agent binds the meters to its registry)
                .trafficJobs(new ProcessTrafficJobs(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 4, 32,
                        io.nfvlab.agent.dpdk.DpdkTestpmdTraffic.overStates(() -> client.resources(io.nfvlab.api.node.NetworkNodeState.class)
                                .withLabel(io.nfvlab.api.Nfvlab.NODE_LABEL, nodeName).list().getItems())))
                .dpdkBridges(new OvsDpdkBridges())
                // The embedded API server starts empty, so every marked object on this machine would look orphaned,
                // including those of another nfvlab run or test in progress: never sweep from the CLI.
                .sweepOrphansOnStart(false)
                .build());
    }
}
