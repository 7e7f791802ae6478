package io.nfvlab.cli.commands;

import io.nfvlab.cli.HostExec;
import io.nfvlab.cli.Session;
import io.nfvlab.cli.SessionCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

@Command(name = "exec", description = "Run a command inside a host's network namespace, e.g. `exec h1 -- ping -c1 10.0.0.2` "
        + "(Mininet's `h1 ping h2`). Local: the host must run on this machine.")
public class ExecCommand extends SessionCommand {
    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Parameters(index = "1..*", paramLabel = "CMD", description = "The command and its arguments (put -- before them).")
    List<String> command = new ArrayList<>();

    @Override
    protected int run(Session session) {
        List<String> cmd = new ArrayList<>(command);
        if (!cmd.isEmpty() && cmd.get(0).equals("--")) {
            cmd.remove(0);
        }
        List<String> argv = HostExec.argv(session.view(), host, cmd, session.getLocalNode());
        boolean interactive = !session.isPrompt() && System.console() != null;
        return HostExec.run(argv, session.getOut(), session.getErr(), interactive);
    }
}
