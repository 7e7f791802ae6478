package io.nfvlab.operator;

import io.nfvlab.agent.kernel.linux.LinuxKernel;
import io.nfvlab.operator.controller.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.agent.traffic.dispatch.ProcessTrafficJobs;
import io.nfvlab.apiserver.EmbeddedApiServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Two "nodes" on one machine for kernel tests: network namespaces {@code <tag>-a} and {@code <tag>-b} joined by a
 * veth underlay whose /30 addresses exist only inside them (traffic between them never leaves the machine), the
 * in-process API server, the operator, and one agent per node with the Linux dataplane emulating its root in the
 * node's namespace.
 */
public final class TwoNodeCluster implements AutoCloseable {
    private final String nodeA;
    private final String nodeB;
    private final EmbeddedApiServer server;
    private final List<Agent> agents = new ArrayList<>();
    private final NfvlabOperator operator;

    private TwoNodeCluster(String tag, String underlayA, String underlayB, boolean traffic) {
        nodeA = tag + "-a";
        nodeB = tag + "-b";
        run("ip", "netns", "add", nodeA);
        run("ip", "netns", "add", nodeB);
        run("ip", "link", "add", tag + "ua", "netns", nodeA, "type", "veth", "peer", "name", tag + "ub", "netns", nodeB);
        run("ip", "-n", nodeA, "addr", "add", underlayA + "/30", "dev", tag + "ua");
        run("ip", "-n", nodeB, "addr", "add", underlayB + "/30", "dev", tag + "ub");
        for (String[] up : new String[][]{{nodeA, tag + "ua"}, {nodeB, tag + "ub"}, {nodeA, "lo"}, {nodeB, "lo"}}) {
            run("ip", "-n", up[0], "link", "set", up[1], "up");
        }
        server = EmbeddedApiServer.start();
        for (String[] n : new String[][]{{nodeA, underlayA}, {nodeB, underlayB}}) {
            AgentConfig.AgentConfigBuilder config = AgentConfig.builder().nodeName(n[0]).underlayAddress(n[1])
                    .embedded(true).dataplane(LinuxKernel.dataplane()).nodeNetns(n[0]).resyncInterval(Duration.ofSeconds(5));
            if (traffic) {
                config.trafficJobs(new ProcessTrafficJobs(new SimpleMeterRegistry())).trafficPollInterval(Duration.ofMillis(200));
            }
            agents.add(Agent.start(server.newClient(), config.build()));
        }
        operator = NfvlabOperator.start(server.newClient(), OperatorConfig.embeddedDefaults());
    }

    /** Starts both nodes; {@code traffic}: their agents also run traffic jobs (ping, iperf3). */
    public static TwoNodeCluster start(String tag, String underlayA, String underlayB, boolean traffic) {
        try {
            return new TwoNodeCluster(tag, underlayA, underlayB, traffic);
        } catch (RuntimeException e) {
            deleteNodes(tag + "-a", tag + "-b");
            throw e;
        }
    }

    public KubernetesClient admin() {
        return server.client();
    }

    public String nodeA() {
        return nodeA;
    }

    public String nodeB() {
        return nodeB;
    }

    /** Stops operator, agents and server, then deletes both node namespaces (and with them whatever was left there). */
    @Override
    public void close() {
        try {
            operator.close();
            agents.forEach(Agent::close);
            server.close();
        } finally {
            deleteNodes(nodeA, nodeB);
        }
    }

    private static void deleteNodes(String... nodes) {
        for (String node : nodes) {
            CommandRunner.run(List.of("ip", "netns", "del", node), Duration.ofSeconds(10));
        }
    }

    private static void run(String... argv) {
        CommandRunner.run(List.of(argv), Duration.ofSeconds(15)).orThrow();
    }
}
