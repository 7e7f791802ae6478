package io.nfvlab.cli.commands;

import io.nfvlab.cli.MininetText;
import io.nfvlab.cli.Render;
import io.nfvlab.cli.Session;
import io.nfvlab.cli.SessionCommand;
import io.nfvlab.cli.TopologyView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "dump", description = "Describe every node: interfaces, addresses, namespace or bridge (Mininet's dump).")
public class DumpCommand extends SessionCommand {
    @Mixin
    OutputOption output;

    @Override
    protected int run(Session session) {
        TopologyView view = session.view();
        Render.print(session.getOut(), output.format, MininetText.nodesData(view), () -> MininetText.dump(view));
        return 0;
    }
}
