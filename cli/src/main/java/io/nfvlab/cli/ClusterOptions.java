package io.nfvlab.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.runtime.Clients;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Options that choose the cluster, namespace and topology a command talks to. */
public class ClusterOptions {
    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubeconfig file; default $KUBECONFIG, ~/.kube/config or the in-cluster service account.")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context; default the current one.")
    String context;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Namespace; default the kubeconfig's, else default.")
    String namespace;

    @Option(names = {"-t", "--topology"}, paramLabel = "NAME",
            description = "The VirtualTopology to work on; default the only one in the namespace.")
    String topology;

    /** The topology named with --topology, or null. */
    public String topologyName() {
        return topology;
    }

    public Session open(PrintWriter out, PrintWriter err) {
        Config config = config();
        // a CLI should say at once that the cluster is unreachable, not retry for twenty seconds
        config.setRequestRetryBackoffLimit(1);
        config.setRequestRetryBackoffInterval(250);
        KubernetesClient client = Clients.client(config);
        String ns = namespace != null ? namespace : config.getNamespace() != null ? config.getNamespace() : "default";
        return Session.builder()
                .client(client)
                .ownsClient(true)
                .namespace(ns)
                .topologyName(topology)
                .out(out)
                .err(err)
                .localNode(HostInfo.nodeName())
                .prompt(false)
                .build();
    }

    private Config config() {
        try {
            return Clients.config(kubeconfig, context);
        } catch (java.nio.file.NoSuchFileException e) {
            throw CliException.failure("kubeconfig " + kubeconfig + " does not exist");
        } catch (IOException e) {
            throw CliException.failure("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw CliException.failure("kubeconfig " + kubeconfig + " does not parse: " + Errors.flatten(e.getMessage()));
        }
    }
}
