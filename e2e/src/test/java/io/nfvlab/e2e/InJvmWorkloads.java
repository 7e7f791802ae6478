package io.nfvlab.e2e;

import io.nfvlab.agent.NodeAgent;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.cli.run.EmbeddedControlPlane;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.controller.OperatorConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The in-process API server has no kubelet: the chart's Deployment and DaemonSet are stored but nothing runs them.
 * Here the operator and one agent (for a node of this test's own name, building in this machine's real kernel) run in
 * the test's JVM instead, each with its own client, started once the chart is installed and stopped after uninstall.
 * What that proves: the scenario's install, waits, resources, results and uninstall against a server that enforces
 * tokens, size limits and the CRDs' schema and CEL rules; not the images, the pod specs, RBAC or garbage collection.
 */
final class InJvmWorkloads implements Workloads {
    private final EmbeddedApiServer server;
    private final String nodeName;
    private final String systemNamespace;
    private final Path kubeconfig;
    private NfvlabOperator operator;
    private NodeAgent agent;

    InJvmWorkloads(EmbeddedApiServer server, String nodeName, String systemNamespace, Path dir) {
        this.server = server;
        this.nodeName = nodeName;
        this.systemNamespace = systemNamespace;
        try {
            this.kubeconfig = dir.resolve("kubeconfig");
            Files.createFile(kubeconfig, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(kubeconfig, server.kubeconfig("default"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Set<String> awaitRunning(Await await, Duration timeout) {
        operator = NfvlabOperator.start(server.newClient(), OperatorConfig.builder().embedded(true).systemNamespace(systemNamespace).build());
        agent = NodeAgent.builder()
                .client(server.newClient())
                .nodeName(nodeName)
                .embedded(true)
                .systemNamespace(systemNamespace)
                .traffic(true)
                .dpdk(false)
                // the in-process server starts empty: every marked object of other runs on this machine would look orphaned
                .sweepOrphansOnStart(false)
                .cniSocket(null)
                .start();
        await.until("the in-JVM operator", timeout, () -> operator.isReady() ? null : "the operator is not ready");
        return Set.of(nodeName);
    }

    @Override
    public void stopped() {
        if (agent != null) {
            agent.close();
            agent = null;
        }
        if (operator != null) {
            operator.close();
            operator = null;
        }
    }

    @Override
    public List<String> kernelLeftovers(Set<String> ownerTokens) {
        return EmbeddedControlPlane.namespacesOf(ownerTokens);
    }

    @Override
    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public void close() {
        stopped();
    }
}
