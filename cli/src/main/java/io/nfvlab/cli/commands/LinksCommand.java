package io.nfvlab.cli.commands;

import io.nfvlab.cli.MininetText;
import io.nfvlab.cli.Render;
import io.nfvlab.cli.Session;
import io.nfvlab.cli.SessionCommand;
import io.nfvlab.cli.TopologyView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "links", description = "List the links with their state and TCLink parameters (Mininet's links).")
public class LinksCommand extends SessionCommand {
    @Mixin
    OutputOption output;

    @Override
    protected int run(Session session) {
        TopologyView view = session.view();
        Render.print(session.getOut(), output.format, MininetText.linksData(view), () -> MininetText.links(view));
        return 0;
    }
}
