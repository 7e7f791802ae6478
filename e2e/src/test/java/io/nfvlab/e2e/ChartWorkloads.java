package io.nfvlab.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/** The operator and agents as the chart runs them: pods of its Deployment and DaemonSet, on the cluster's nodes. */
final class ChartWorkloads implements Workloads {
    private final KubernetesClient client;
    private final Path kubeconfig;
    private final String systemNamespace;
    private final boolean leaderElection;

    ChartWorkloads(KubernetesClient client, Path kubeconfig, String systemNamespace, boolean leaderElection) {
        this.client = client;
        this.kubeconfig = kubeconfig;
        this.systemNamespace = systemNamespace;
        this.leaderElection = leaderElection;
    }

    @Override
    public Set<String> awaitRunning(Await await, Duration timeout) {
        await.until("the operator Deployment", timeout, () -> ClusterChecks.operatorPending(
                client.apps().deployments().inNamespace(systemNamespace).withName("nfvlab-operator").get(),
                client.leases().inNamespace(systemNamespace).withName("nfvlab-operator").get(), leaderElection));
        AtomicReference<Set<String>> nodes = new AtomicReference<>();
        await.until("the agent DaemonSet on every node", timeout, () -> {
            String pending = ClusterChecks.daemonSetPending(client.apps().daemonSets().inNamespace(systemNamespace).withName("nfvlab-agent").get());
            if (pending != null) {
                return pending;
            }
            Set<String> running = new TreeSet<>();
            for (Pod p : client.pods().inNamespace(systemNamespace).withLabel("app.kubernetes.io/name", "nfvlab-agent").list().getItems()) {
                if (p.getSpec().getNodeName() != null && p.getMetadata().getDeletionTimestamp() == null) {
                    running.add(p.getSpec().getNodeName());
                }
            }
            nodes.set(running);
            return running.isEmpty() ? "no agent pod is bound to a node" : null;
        });
        return nodes.get();
    }

    @Override
    public void stopped() {
        // uninstall deleted the DaemonSet; leftovers() then checks that no nfvlab.io/ label or annotation stays on a node
    }

    @Override
    public List<String> kernelLeftovers(Set<String> ownerTokens) {
        return List.of();
    }

    @Override
    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public void close() {
    }
}
