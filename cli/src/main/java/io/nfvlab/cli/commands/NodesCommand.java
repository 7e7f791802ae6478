package io.nfvlab.cli.commands;

import io.nfvlab.cli.MininetText;
import io.nfvlab.cli.Render;
import io.nfvlab.cli.Session;
import io.nfvlab.cli.SessionCommand;
import io.nfvlab.cli.TopologyView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "nodes", description = "List the hosts and switches with their node, address and namespace (Mininet's nodes).")
public class NodesCommand extends SessionCommand {
    @Mixin
    OutputOption output;

    @Override
    protected int run(Session session) {
        TopologyView view = session.view();
        Render.print(session.getOut(), output.format, MininetText.nodesData(view), () -> MininetText.nodes(view));
        return 0;
    }
}
