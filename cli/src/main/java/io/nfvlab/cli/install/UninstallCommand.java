package io.nfvlab.cli.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.cli.CliException;
import io.nfvlab.cli.ClusterOptions;
import io.nfvlab.cli.ExitCodes;
import io.nfvlab.cli.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "uninstall", description = {
        "Remove nfvlab from the current cluster: first every TrafficTest, VirtualTopology and DpdkBridge (waiting until "
                + "the agents have torn down what they built), then what `nfvlab install` applied, CRDs included."})
public class UninstallCommand implements Callable<Integer> {
    @Mixin
    ReleaseOptions release;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--keep-crds", description = "Leave the CRDs (and so any nfvlab resource created later) in place.")
    boolean keepCrds;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "How long to wait for the agents' teardown (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Manifests manifests = release.render();
        PrintWriter out = spec.commandLine().getOut();
        try (Session session = cluster.open(out, spec.commandLine().getErr())) {
            KubernetesClient client = session.getClient();
            if (crdsPresent(client)) {
                removeResources(client, out);
            }
            List<HasMetadata> order = deletionOrder(manifests.objects());
            boolean podsAwaited = false;
            for (HasMetadata object : order) {
                if (keepCrds && object instanceof CustomResourceDefinition) {
                    continue;
                }
                if (!podsAwaited && !isWorkload(object)) {
                    awaitPodsGone(client, out);
                    podsAwaited = true;
                }
                try {
                    boolean deleted = !client.resource(object).delete().isEmpty();
                    out.printf("%s/%s %s%n", object.getKind().toLowerCase(Locale.ROOT), object.getMetadata().getName(),
                            deleted ? "deleted" : "not found");
                } catch (KubernetesClientException e) {
                    throw ReleaseOptions.clusterError("delete " + object.getKind() + " " + object.getMetadata().getName(), e);
                }
                out.flush();
            }
        }
        return ExitCodes.OK;
    }

    /**
     * The reverse of install's order, except that the Deployment and the DaemonSet go first: their pods stop (an agent
     * removes its node label and releases its Lease on the way out) while their service accounts and RBAC still let
     * them; deleted last, an agent would be refused and its label outlive it.
     */
    static List<HasMetadata> deletionOrder(List<HasMetadata> installed) {
        List<HasMetadata> reverse = new ArrayList<>(installed);
        Collections.reverse(reverse);
        List<HasMetadata> order = new ArrayList<>(reverse.stream().filter(UninstallCommand::isWorkload).toList());
        reverse.stream().filter(o -> !isWorkload(o)).forEach(order::add);
        return order;
    }

    private static boolean isWorkload(HasMetadata object) {
        return object instanceof Deployment || object instanceof DaemonSet;
    }

    /** Waits until the release's pods have terminated (their grace period), so that they leave nothing behind. */
    private void awaitPodsGone(KubernetesClient client, PrintWriter out) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        try {
            var pods = client.pods().inNamespace(release.namespace).withLabel("app.kubernetes.io/instance", release.name);
            // a finished pod (a failed `helm test`'s, kept for its log) runs nothing: only running ones are waited for
            java.util.function.IntSupplier running = () -> (int) pods.list().getItems().stream()
                    .filter(p -> p.getStatus() == null || !List.of("Succeeded", "Failed").contains(p.getStatus().getPhase())).count();
            int left = running.getAsInt();
            if (left > 0) {
                out.printf("waiting for %d operator and agent pods to stop%n", left);
                out.flush();
            }
            while ((left = running.getAsInt()) > 0) {
                if (System.nanoTime() > deadline) {
                    throw CliException.failure(left + " operator or agent pods still run after " + timeoutSeconds
                            + " s (kubectl -n " + release.namespace + " get pods shows which); run uninstall again once they stopped");
                }
                Thread.sleep(500);
            }
        } catch (KubernetesClientException e) {
            throw ReleaseOptions.clusterError("list the operator and agent pods", e);
        }
    }

    private static boolean crdsPresent(KubernetesClient client) {
        try {
            return client.apiextensions().v1().customResourceDefinitions().withName("networknodestates.nfvlab.io").get() != null;
        } catch (KubernetesClientException e) {
            throw ReleaseOptions.clusterError("read the CRDs", e);
        }
    }

    /** The agents release their finalizers once the kernel is clean; deleting the CRDs first would orphan that work. */
    private void removeResources(KubernetesClient client, PrintWriter out) throws InterruptedException {
        try {
            int tests = client.resources(TrafficTest.class).inAnyNamespace().delete().size();
            int topologies = client.resources(VirtualTopology.class).inAnyNamespace().delete().size();
            int bridges = client.resources(DpdkBridge.class).delete().size();
            out.printf("deleting %d traffic tests, %d topologies, %d DPDK bridges; waiting for the agents%n", tests, topologies, bridges);
            out.flush();
            long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            int left;
            while ((left = client.resources(NetworkNodeState.class).list().getItems().size()) > 0) {
                if (System.nanoTime() > deadline) {
                    throw CliException.failure(left + " node states are still being torn down after " + timeoutSeconds
                            + " s (kubectl get networknodestates shows which nodes); run uninstall again once their agents are back");
                }
                Thread.sleep(500);
            }
        } catch (KubernetesClientException e) {
            throw ReleaseOptions.clusterError("delete the nfvlab resources", e);
        }
    }
}
