package io.nfvlab.cli.prompt;

import io.nfvlab.cli.Session;
import io.nfvlab.cli.SessionCommand;
import io.nfvlab.cli.CommandLines;
import io.nfvlab.cli.commands.ApplyCommand;
import io.nfvlab.cli.commands.DeleteCommand;
import io.nfvlab.cli.commands.DumpCommand;
import io.nfvlab.cli.commands.ExecCommand;
import io.nfvlab.cli.commands.IntfsCommand;
import io.nfvlab.cli.commands.IperfCommand;
import io.nfvlab.cli.commands.IperfUdpCommand;
import io.nfvlab.cli.commands.LinkCommand;
import io.nfvlab.cli.commands.LinksCommand;
import io.nfvlab.cli.commands.NetCommand;
import io.nfvlab.cli.commands.NodesCommand;
import io.nfvlab.cli.commands.PingAllCommand;
import io.nfvlab.cli.commands.PingPairCommand;
import io.nfvlab.cli.commands.StatusCommand;
import io.nfvlab.cli.graph.GraphCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The commands of the {@code nfvlab>} prompt: the Mininet ones, each running against the prompt's session. */
@Command(name = "", mixinStandardHelpOptions = false, subcommands = {
        NodesCommand.class, NetCommand.class, LinksCommand.class, IntfsCommand.class, DumpCommand.class,
        PingAllCommand.class, PingPairCommand.class, IperfCommand.class, IperfUdpCommand.class, LinkCommand.class,
        ExecCommand.class, ApplyCommand.class, DeleteCommand.class, StatusCommand.class, GraphCommand.class})
public final class PromptCommands {
    private PromptCommands() {
    }

    /** A fresh command line per prompt line (picocli commands keep option values between runs otherwise). */
    public static CommandLine commandLine(Session session) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K instance = defaults.create(cls);
                if (instance instanceof SessionCommand command) {
                    command.useSession(session);
                }
                return instance;
            }
        };
        CommandLine cl = new CommandLine(new PromptCommands(), factory);
        CommandLines.configure(cl, session.getOut(), session.getErr(), "*** ");
        return cl;
    }

    public static void printHelp(PrintWriter out) {
        CommandLine cl = new CommandLine(new PromptCommands());
        out.println("Commands (each takes --help):");
        cl.getSubcommands().forEach((name, sub) -> {
            String[] d = sub.getCommandSpec().usageMessage().description();
            out.printf("  %-9s %s%n", name, d.length == 0 ? "" : d[0]);
        });
        out.println("  HOST CMD… run CMD in HOST's namespace; host names in CMD become their addresses (h1 ping -c1 h2)");
        out.println("  sh CMD    run CMD in this machine's shell, as the user running nfvlab (as Mininet's sh)");
        out.println("  source FILE  run the commands in FILE, one per line");
        out.println("  noecho HOST CMD…  run a host command with the terminal's echo off (passwords)");
        out.println("  exit      tear the network down and leave (also Ctrl-D, Ctrl-C)");
        out.flush();
    }
}
