package io.nfvlab.cli.graph;

import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.cli.CliException;
import io.nfvlab.cli.ResourceFiles;
import io.nfvlab.cli.Session;
import io.nfvlab.cli.SessionCommand;
import io.nfvlab.cli.TopologyView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

@Command(name = "graph", description = {
        "Draw a topology: one box per Kubernetes node, VXLAN links dashed, down links red, impairments on the links, "
                + "hosts coloured by state (green ready, yellow pending, red failed; white: drawn from a file).",
        "From the cluster (or at the nfvlab> prompt) with its status; with -f from the file alone (no cluster, no root).",
        "svg needs Graphviz (apt-get install graphviz); dot and mermaid are text to render elsewhere."})
public class GraphCommand extends SessionCommand {
    @Option(names = {"-f", "--filename"}, paramLabel = "FILE",
            description = "Draw the topology in this file instead of one on the cluster (-t chooses among several).")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "dot",
            description = "dot, mermaid, svg or json (default dot).")
    GraphFormat format;

    @Override
    public Integer call() throws Exception {
        if (file == null) {
            return super.call();
        }
        print(spec.commandLine().getOut(), TopologyView.of(fromFile(), List.of()));
        return 0;
    }

    @Override
    protected int run(Session session) {
        print(session.getOut(), session.view());
        return 0;
    }

    private VirtualTopology fromFile() {
        List<VirtualTopology> all = ResourceFiles.load(List.of(file)).topologies();
        String wanted = cluster.topologyName();
        if (wanted != null) {
            return all.stream().filter(t -> wanted.equals(t.getMetadata().getName())).findFirst()
                    .orElseThrow(() -> CliException.failure(file + " has no VirtualTopology " + wanted + names(all)));
        }
        if (all.size() != 1) {
            throw CliException.usage(file + " has " + all.size() + " topologies" + names(all)
                    + (all.isEmpty() ? "" : ": choose one with -t"));
        }
        return all.get(0);
    }

    private static String names(List<VirtualTopology> all) {
        return all.isEmpty() ? "" : " (" + String.join(", ", all.stream().map(t -> t.getMetadata().getName()).toList()) + ")";
    }

    private void print(PrintWriter out, TopologyView view) {
        out.print(format.render(TopologyPicture.of(view)));
        out.flush();
    }
}
