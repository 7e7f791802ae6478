package io.nfvlab.operator;

import io.nfvlab.agent.kernel.linux.LinuxKernel;
import io.nfvlab.operator.controller.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import io.nfvlab.agent.traffic.testpmd.DpdkTestpmdTraffic;
import io.nfvlab.agent.ovsdpdk.OvsDpdkBridges;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.agent.traffic.dispatch.ProcessTrafficJobs;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.apiserver.EmbeddedApiServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One node for real on this machine's OVS-DPDK: the in-process API server, the operator, and an agent with the real
 * Linux dataplane, OvsDpdkBridges and testpmd traffic. Skips (assumption) without root or DPDK-initialized OVS.
 */
public final class RealDpdkNode implements AutoCloseable {
    private final EmbeddedApiServer server;
    private final KubernetesClient agentClient;
    private final ProcessTrafficJobs traffic;
    private final Agent agent;
    private final NfvlabOperator operator;

    private RealDpdkNode(String node) {
        server = EmbeddedApiServer.start();
        agentClient = server.newClient();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        traffic = new ProcessTrafficJobs(registry, 2, 4, DpdkTestpmdTraffic.overStates(() -> agentClient
                .resources(NetworkNodeState.class).withLabel(Nfvlab.NODE_LABEL, node).list().getItems()));
        agent = Agent.start(agentClient, AgentConfig.builder().nodeName(node).embedded(true)
                .dataplane(LinuxKernel.dataplane())
                .dpdkBridges(new OvsDpdkBridges())
                .trafficJobs(traffic)
                .meterRegistry(registry)
                .resyncInterval(Duration.ofSeconds(1))
                // the machine's OVS is shared: never sweep what other tests own
                .sweepOrphansOnStart(false)
                .build());
        operator = NfvlabOperator.start(server.newClient(), OperatorConfig.embeddedDefaults());
    }

    public static RealDpdkNode start(String node) {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: namespaces, OVS-DPDK ports and testpmd");
        var dpdk = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "get", "Open_vSwitch", ".", "dpdk_initialized"),
                Duration.ofSeconds(10));
        assumeTrue(dpdk.ok() && dpdk.stdout().strip().equals("true"), "needs ovs-vswitchd with DPDK initialized");
        return new RealDpdkNode(node);
    }

    /** The administrator's client (what kubectl would be). */
    public KubernetesClient admin() {
        return server.client();
    }

    /**
     * What a failed run leaves when it stops before the agent's teardown: the DpdkBridge's OVS bridge and its socket
     * directory (which would block the next run's testpmd).
     */
    public static void removeBridge(String bridge) {
        CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "--if-exists", "del-br", bridge), Duration.ofSeconds(10));
        Path sockets = Path.of("/var/run/nfvlab/dpdk/" + bridge);
        if (Files.isDirectory(sockets)) {
            try (Stream<Path> files = Files.list(sockets)) {
                files.forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sockets.toFile().delete();
        }
    }

    @Override
    public void close() {
        operator.close();
        agent.close();
        traffic.close();
        agentClient.close();
        server.close();
    }
}
