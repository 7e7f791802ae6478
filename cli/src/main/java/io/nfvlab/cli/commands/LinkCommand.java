package io.nfvlab.cli.commands;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.topology.LinkState;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.cli.CliException;
import io.nfvlab.cli.LinkOverrides;
import io.nfvlab.cli.Session;
import io.nfvlab.cli.SessionCommand;
import io.nfvlab.cli.TopologyView;
import io.nfvlab.cli.TopologyWait;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.Locale;

@Command(name = "link", description = "Bring the link(s) between two nodes up or down (Mininet's link s1 h1 down); "
        + "patches the topology's linkOverrides and waits until the agent applied it.")
public class LinkCommand extends SessionCommand {
    @Parameters(index = "0", paramLabel = "NODE1")
    String a;

    @Parameters(index = "1", paramLabel = "NODE2")
    String b;

    @Parameters(index = "2", paramLabel = "up|down")
    String state;

    @Option(names = "--no-wait", description = "Return once the topology is patched, without waiting for the agent.")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "How long to wait (default 60).")
    int timeoutSeconds;

    @Override
    protected int run(Session session) {
        LinkState wanted = switch (state.toLowerCase(Locale.ROOT)) {
            case "up" -> LinkState.UP;
            case "down" -> LinkState.DOWN;
            default -> throw CliException.usage("link state must be up or down, not " + state);
        };
        TopologyView view = session.view();
        if (view.graph().links().stream().noneMatch(l -> l.joins(a, b))) {
            throw CliException.failure("no link between " + a + " and " + b + " in topology " + view.name());
        }
        long start = System.nanoTime();
        KubernetesClient client = session.getClient();
        VirtualTopology patched = client.resources(VirtualTopology.class).inNamespace(view.namespace()).withName(view.name())
                .edit(t -> {
                    t.getSpec().setLinkOverrides(LinkOverrides.withState(t.getSpec().getLinkOverrides(), a, b, wanted));
                    return t;
                });
        if (!noWait) {
            TopologyWait.ready(client, view.namespace(), view.name(), patched.getMetadata().getGeneration(),
                    Duration.ofSeconds(timeoutSeconds), null);
        }
        session.getOut().printf(Locale.ROOT, "*** link %s <-> %s %s%s%n", a, b, state.toLowerCase(Locale.ROOT),
                noWait ? "" : String.format(Locale.ROOT, " (applied in %.2f s)", (System.nanoTime() - start) / 1e9));
        session.getOut().flush();
        return 0;
    }
}
