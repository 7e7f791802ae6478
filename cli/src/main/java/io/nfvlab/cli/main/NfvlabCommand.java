package io.nfvlab.cli.main;

import io.nfvlab.cli.ExitCodes;
import io.nfvlab.cli.commands.ApplyCommand;
import io.nfvlab.cli.commands.CompletionCommand;
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
import io.nfvlab.cli.install.InstallCommand;
import io.nfvlab.cli.install.UninstallCommand;
import io.nfvlab.cli.run.RunCommand;
import io.nfvlab.cli.graph.GraphCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "nfvlab", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = NfvlabCommand.Version.class,
        description = {
                "Mininet-style network emulation and DPDK traffic testing on Kubernetes.",
                "`nfvlab run` brings a network up on this machine with an embedded control plane; the other commands "
                        + "work on a cluster (--kubeconfig) or, typed at the nfvlab> prompt, on the running network."})
public class NfvlabCommand implements Callable<Integer> {
    /** The subcommands, in the order of `nfvlab --help`. */
    static final List<Class<?>> SUBCOMMANDS = List.of(RunCommand.class, NodesCommand.class, NetCommand.class,
            LinksCommand.class, IntfsCommand.class, DumpCommand.class, PingAllCommand.class, PingPairCommand.class,
            IperfCommand.class, IperfUdpCommand.class, LinkCommand.class, ExecCommand.class, ApplyCommand.class,
            DeleteCommand.class, StatusCommand.class, GraphCommand.class, InstallCommand.class, UninstallCommand.class,
            io.nfvlab.cli.run.CleanCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class);

    /**
     * The command line for {@code args}. Picocli builds the model of every subcommand it is given, by reflection over
     * its options and mixins; for twenty subcommands that was ≈6 % of the CPU of `nfvlab run --topo linear,4 --test
     * pingall`. When the first argument names a subcommand, only that one is given: it parses exactly as in the whole
     * tree (options inherited from {@code nfvlab} included). Anything else (no subcommand, an unknown word, help,
     * completion) gets the whole tree.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new NfvlabCommand());
        String first = args.length > 0 ? args[0] : "";
        List<Class<?>> wanted = SUBCOMMANDS.stream()
                .filter(c -> !c.equals(CommandLine.HelpCommand.class) && !c.equals(CompletionCommand.class))
                .filter(c -> first.equals(c.getAnnotation(Command.class).name()))
                .findFirst().<List<Class<?>>>map(List::of).orElse(SUBCOMMANDS);
        wanted.forEach(cl::addSubcommand);
        return cl;
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = NfvlabCommand.class.getPackage().getImplementationVersion();
            return new String[]{"nfvlab " + (v == null ? "(development build)" : v)};
        }
    }
}
