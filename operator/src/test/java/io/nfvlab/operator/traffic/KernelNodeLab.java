package io.nfvlab.operator.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import io.nfvlab.agent.kernel.linux.LinuxKernel;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.agent.traffic.dispatch.ProcessTrafficJobs;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.controller.OperatorConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The traffic ITs' lab: an in-process API server, the operator, and one agent on the real kernel whose node is a
 * network namespace of the test's own ({@link #node}). Closing it deletes the tests and {@link #topologies}, waits for
 * the agent's teardown, stops everything and asserts that no namespace of the lab is left.
 */
final class KernelNodeLab implements AutoCloseable {
    static final String NS = "default";

    /** A prefix of the test's own plus a random byte: names of topologies and of the node start with it. */
    final String tag;
    final String node;
    final KubernetesClient admin;
    /** The names of the topologies the test created, to delete and check at the end. */
    final List<String> topologies = new ArrayList<>();
    private final EmbeddedApiServer server;
    final Agent agent;
    final NfvlabOperator operator;

    private KernelNodeLab(String tag, EmbeddedApiServer server, Agent agent, NfvlabOperator operator) {
        this.tag = tag;
        this.node = tag + "-node";
        this.server = server;
        this.admin = server.client();
        this.agent = agent;
        this.operator = operator;
    }

    /** Needs root: creates the node's namespace, then starts the server, the agent and the operator. */
    static KernelNodeLab start(String prefix) {
        String tag = prefix + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt(256));
        String node = tag + "-node";
        CommandRunner.run(List.of("ip", "netns", "add", node), Duration.ofSeconds(10)).orThrow();
        EmbeddedApiServer server = EmbeddedApiServer.start();
        Agent agent = Agent.start(server.newClient(), AgentConfig.builder().nodeName(node).embedded(true).metricsPort(-1)
                .dataplane(LinuxKernel.dataplane()).nodeNetns(node)
                .trafficJobs(new ProcessTrafficJobs(new SimpleMeterRegistry()))
                .resyncInterval(Duration.ofSeconds(5)).trafficPollInterval(Duration.ofMillis(200)).build());
        NfvlabOperator operator = NfvlabOperator.start(server.newClient(), OperatorConfig.embeddedDefaults());
        return new KernelNodeLab(tag, server, agent, operator);
    }

    @Override
    public void close() {
        try {
            admin.resources(TrafficTest.class).inNamespace(NS).delete();
            topologies.forEach(t -> admin.resources(VirtualTopology.class).inNamespace(NS).withName(t).delete());
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.resources(NetworkNodeState.class).list().getItems().isEmpty());
        } finally {
            operator.close();
            agent.close();
            server.close();
            CommandRunner.run(List.of("ip", "netns", "del", node), Duration.ofSeconds(10));
        }
        List<String> left = CommandRunner.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).stdout().lines()
                .filter(l -> l.startsWith(node) || topologies.stream().anyMatch(t -> l.startsWith(Nfvlab.NETNS_PREFIX
                        + KernelNames.token("VirtualTopology", NS, t) + "-"))).toList();
        assertThat(left).as("namespaces left behind").isEmpty();
    }
}
