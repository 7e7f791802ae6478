package io.nfvlab.cli.commands;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.cli.ResourceApplier;
import io.nfvlab.cli.CliException;
import io.nfvlab.cli.ResourceFiles;
import io.nfvlab.cli.Session;
import io.nfvlab.cli.SessionCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "delete", description = "Delete a topology (default the one addressed by --topology, or the only one) "
        + "with its traffic tests, or the resources in FILEs; waits until the agents removed everything.")
public class DeleteCommand extends SessionCommand {
    @Parameters(arity = "0..*", paramLabel = "TOPOLOGY")
    List<String> names = new ArrayList<>();

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE",
            description = "Delete the resources this file names; repeatable; - for stdin.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--no-wait", description = "Return without waiting for the teardown.")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120", description = "How long to wait (default 120).")
    int timeoutSeconds;

    @Override
    protected int run(Session session) {
        KubernetesClient client = session.getClient();
        List<HasMetadata> targets = new ArrayList<>();
        if (!files.isEmpty()) {
            ResourceFiles.refuseStdinAtPrompt(files, session);
            targets.addAll(ResourceFiles.load(files).forDeletion());
            targets.forEach(r -> {
                if (r.getMetadata().getNamespace() == null && r instanceof io.fabric8.kubernetes.api.model.Namespaced) {
                    r.getMetadata().setNamespace(session.getNamespace());
                }
            });
        } else if (names.isEmpty()) {
            targets.add(session.topology());
        } else {
            for (String n : names) {
                if (n.contains("/")) {
                    // never sent to the API server: a slash would change the request's path
                    throw CliException.usage(n + " is not a topology name (did you mean -f? `delete -f " + n
                            + "` deletes what the file names)");
                }
                VirtualTopology t = client.resources(VirtualTopology.class).inNamespace(session.getNamespace()).withName(n).get();
                if (t == null) {
                    throw CliException.failure("no VirtualTopology " + n + " in namespace " + session.getNamespace()
                            + (looksLikeFile(n) ? " (did you mean -f? `delete -f " + n + "` deletes what the file names)" : ""));
                }
                targets.add(t);
            }
        }
        List<HasMetadata> deleted = new ArrayList<>();
        for (HasMetadata t : targets) {
            if (t instanceof VirtualTopology topo) {
                // tests of a deleted topology could only fail: remove them with it
                for (TrafficTest test : client.resources(TrafficTest.class).inNamespace(topo.getMetadata().getNamespace()).list().getItems()) {
                    if (test.getSpec() != null && test.getSpec().getTopologyRef() != null
                            && topo.getMetadata().getName().equals(test.getSpec().getTopologyRef().getName())) {
                        client.resource(test).delete();
                        session.getOut().println(ResourceApplier.describe(test) + " deleted");
                    }
                }
            }
            if (!client.resource(t).delete().isEmpty()) {
                deleted.add(t);
                session.getOut().println(ResourceApplier.describe(t) + " deleted");
            } else {
                session.getOut().println(ResourceApplier.describe(t) + " not found");
            }
        }
        session.getOut().flush();
        if (!noWait) {
            long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            for (HasMetadata t : deleted) {
                while (client.resource(t).get() != null) {
                    if (System.nanoTime() > deadline) {
                        throw CliException.failure(ResourceApplier.describe(t) + " still exists after " + timeoutSeconds
                                + " s (an agent has not finished its teardown)");
                    }
                    sleep();
                }
            }
        }
        return 0;
    }

    /** Names of Kubernetes objects hold no slash and rarely a YAML suffix; files do. */
    private static boolean looksLikeFile(String name) {
        return name.contains("/") || name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")
                || Files.isRegularFile(Path.of(name));
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failure("interrupted");
        }
    }
}
