package io.nfvlab.cli.run;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import io.nfvlab.agent.traffic.testpmd.DpdkTestpmdTraffic;
import io.nfvlab.agent.ovsdpdk.OvsDpdkBridges;
import io.nfvlab.agent.traffic.dispatch.ProcessTrafficJobs;

/** Starts the dataplane agent for this machine in this JVM, wired as AgentMain wires it on a node. */
final class AgentLauncher {
    private AgentLauncher() {
    }

    static Agent start(KubernetesClient client, String nodeName) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DpdkTestpmdTraffic testpmd = DpdkTestpmdTraffic.forNode(client, nodeName);
        return Agent.start(client, AgentConfig.builder()
                .nodeName(nodeName)
                .embedded(true)
                .meterRegistry(registry)
                .trafficJobs(new ProcessTrafficJobs(registry, 4, 32, testpmd))
                .dpdkBridges(new OvsDpdkBridges())
                // The embedded API server starts empty, so every marked object on this machine would look orphaned,
                // including those of another nfvlab run or test in progress: never sweep from the CLI.
                .sweepOrphansOnStart(false)
                .build());
    }
}
