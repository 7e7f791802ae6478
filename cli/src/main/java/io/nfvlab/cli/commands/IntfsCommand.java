package io.nfvlab.cli.commands;

import io.nfvlab.cli.MininetText;
import io.nfvlab.cli.Render;
import io.nfvlab.cli.Session;
import io.nfvlab.cli.SessionCommand;
import io.nfvlab.cli.TopologyView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "intfs", description = "List each node's interfaces (Mininet's intfs).")
public class IntfsCommand extends SessionCommand {
    @Mixin
    OutputOption output;

    @Override
    protected int run(Session session) {
        TopologyView view = session.view();
        Render.print(session.getOut(), output.format, MininetText.intfsData(view), () -> MininetText.intfs(view));
        return 0;
    }
}
