package io.nfvlab.cli.commands;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.validation.TopologyValidator;
import io.nfvlab.api.validation.Violation;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.cli.CliException;
import io.nfvlab.cli.LinkOverrides;
import io.nfvlab.cli.LinkSettings;
import io.nfvlab.cli.Session;
import io.nfvlab.cli.SessionCommand;
import io.nfvlab.cli.TopologyView;
import io.nfvlab.cli.TopologyWait;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

@Command(name = "link", description = "Bring the link(s) between two nodes up or down (Mininet's link s1 h1 down), or change "
        + "their shaping while they run (link s1 s2 delay=10ms loss=1; keys bw, delay, jitter, loss, max_queue_size, mtu, "
        + "loss_correlation, corrupt, duplicate, reorder, gap, distribution; KEY=none drops an earlier change); "
        + "patches the topology's linkOverrides and waits until the agent applied it.")
public class LinkCommand extends SessionCommand {
    @Parameters(index = "0", paramLabel = "NODE1")
    String a;

    @Parameters(index = "1", paramLabel = "NODE2")
    String b;

    @Parameters(index = "2..*", arity = "1..*", paramLabel = "up|down|KEY=VALUE")
    List<String> settings;

    @Option(names = "--no-wait", description = "Return once the topology is patched, without waiting for the agent.")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "How long to wait (default 60).")
    int timeoutSeconds;

    @Override
    protected int run(Session session) {
        LinkSettings wanted;
        try {
            wanted = LinkSettings.parse(settings);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("link " + a + " " + b + ": " + e.getMessage());
        }
        TopologyView view = session.view();
        if (view.graph().links().stream().noneMatch(l -> l.joins(a, b))) {
            throw CliException.failure("no link between " + a + " and " + b + " in topology " + view.name());
        }
        long start = System.nanoTime();
        KubernetesClient client = session.getClient();
        var resource = client.resources(VirtualTopology.class).inNamespace(view.namespace()).withName(view.name());
        VirtualTopology current = resource.get();
        if (current == null) {
            throw CliException.failure("topology " + view.name() + " is gone");
        }
        // checked before the patch, so that a value the validator refuses leaves the running topology as it is
        current.getSpec().setLinkOverrides(LinkOverrides.withSettings(current.getSpec().getLinkOverrides(), a, b, wanted));
        List<Violation> problems = TopologyValidator.validate(current.getSpec());
        if (!problems.isEmpty()) {
            throw CliException.usage("link " + a + " " + b + ": " + problems.stream().map(Violation::toString)
                    .collect(java.util.stream.Collectors.joining("; ")));
        }
        VirtualTopology patched = resource.edit(t -> {
            t.getSpec().setLinkOverrides(LinkOverrides.withSettings(t.getSpec().getLinkOverrides(), a, b, wanted));
            return t;
        });
        if (!noWait) {
            TopologyWait.ready(client, view.namespace(), view.name(), patched.getMetadata().getGeneration(),
                    Duration.ofSeconds(timeoutSeconds), null);
        }
        session.getOut().printf(Locale.ROOT, "*** link %s <-> %s %s%s%n", a, b, wanted.text(),
                noWait ? "" : String.format(Locale.ROOT, " (applied in %.2f s)", (System.nanoTime() - start) / 1e9));
        session.getOut().flush();
        return 0;
    }
}
