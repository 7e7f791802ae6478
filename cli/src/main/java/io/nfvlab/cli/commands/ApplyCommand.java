package io.nfvlab.cli.commands;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.cli.CliException;
import io.nfvlab.cli.ResourceApplier;
import io.nfvlab.cli.ResourceFiles;
import io.nfvlab.cli.Session;
import io.nfvlab.cli.SessionCommand;
import io.nfvlab.cli.TopologyWait;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

@Command(name = "apply", description = "Create or update the topologies, DPDK bridges and traffic tests in FILEs "
        + "(validated first: a bad file changes nothing). `-f FILE` as kubectl (repeatable, `-f -` reads stdin); "
        + "files given without -f still work.")
public class ApplyCommand extends SessionCommand {
    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Same as -f FILE (the older form).")
    List<Path> positional = new ArrayList<>();

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE", description = "A file to apply; repeatable; - for stdin.")
    List<Path> filenames = new ArrayList<>();

    @Option(names = "--wait", description = "Wait until every applied topology is Ready.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180", description = "How long --wait waits (default 180).")
    int timeoutSeconds;

    @Override
    protected int run(Session session) {
        List<Path> files = new ArrayList<>(filenames);
        files.addAll(positional);
        if (files.isEmpty()) {
            throw CliException.usage("nothing to apply: give the files with -f FILE (or -f - for stdin)");
        }
        ResourceFiles.refuseStdinAtPrompt(files, session);
        ResourceFiles resources = ResourceFiles.load(files);
        for (HasMetadata r : resources.all()) {
            String verb = ResourceApplier.apply(session.getClient(), r, session.getNamespace());
            session.getOut().println(ResourceApplier.describe(r) + " " + verb);
        }
        session.getOut().flush();
        if (await) {
            for (VirtualTopology t : resources.topologies()) {
                VirtualTopology current = session.getClient().resource(t).get();
                TopologyWait.ready(session.getClient(), t.getMetadata().getNamespace(), t.getMetadata().getName(),
                        current.getMetadata().getGeneration(), Duration.ofSeconds(timeoutSeconds), session.getOut());
                session.getOut().println(ResourceApplier.describe(t) + " ready");
            }
        }
        return 0;
    }
}
