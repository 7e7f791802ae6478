package io.nfvlab.cli.commands;

import io.nfvlab.cli.MininetText;
import io.nfvlab.cli.Render;
import io.nfvlab.cli.Session;
import io.nfvlab.cli.SessionCommand;
import io.nfvlab.cli.TopologyView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "net", description = "Show each node's interfaces and what they connect to (Mininet's net).")
public class NetCommand extends SessionCommand {
    @Mixin
    OutputOption output;

    @Override
    protected int run(Session session) {
        TopologyView view = session.view();
        Render.print(session.getOut(), output.format, MininetText.netData(view), () -> MininetText.net(view));
        return 0;
    }
}
