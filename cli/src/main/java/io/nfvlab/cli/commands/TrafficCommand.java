package io.nfvlab.cli.commands;

import io.nfvlab.api.common.ObjectRef;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.cli.CliException;
import io.nfvlab.cli.OutputFormat;
import io.nfvlab.cli.Render;
import io.nfvlab.cli.Session;
import io.nfvlab.cli.SessionCommand;
import io.nfvlab.cli.TopologyView;
import io.nfvlab.cli.TrafficRunner;
import io.nfvlab.cli.traffic.TrafficPrinter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** A Mininet test command: it creates a TrafficTest on the topology, waits for it and prints the result. */
public abstract class TrafficCommand extends SessionCommand {
    @Mixin
    OutputOption output;

    @Option(names = "--keep-test", description = "Keep the TrafficTest object afterwards (default: delete it).")
    boolean keepTest;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Fail the test after this many seconds (default 300).")
    Integer timeoutSeconds;

    /** The test to run; {@code view} gives the hosts for defaults and checks. */
    protected abstract TrafficTestSpec.TrafficTestSpecBuilder test(TopologyView view);

    @Override
    protected int run(Session session) {
        TopologyView view = session.view();
        TrafficTestSpec spec = test(view)
                .topologyRef(ObjectRef.builder().name(view.name()).build())
                .timeoutSeconds(timeoutSeconds)
                .build();
        PrintWriter out = session.getOut();
        if (output.format == OutputFormat.table) {
            out.println(TrafficPrinter.header(spec, view.hostNames()));
            out.flush();
        }
        String name = TrafficRunner.newName(view.name(), spec.getType().wireName());
        TrafficRunner.Outcome outcome = TrafficRunner.run(session.getClient(), view.namespace(), name, spec, !keepTest,
                output.format == OutputFormat.table ? out : null);
        Render.print(out, output.format, outcome.test(), () -> TrafficPrinter.body(outcome.test(), view.hostNames(), outcome.elapsed()));
        return outcome.succeeded() ? 0 : 1;
    }

    /** Checks that a host the user named exists, with the hosts there are in the message. */
    protected static String host(TopologyView view, String name) {
        if (!view.hostNames().contains(name)) {
            throw CliException.failure("unknown host " + name + " in topology " + view.name()
                    + " (hosts: " + String.join(" ", view.hostNames()) + ")");
        }
        return name;
    }
}
