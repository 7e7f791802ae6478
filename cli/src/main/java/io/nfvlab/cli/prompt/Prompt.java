package io.nfvlab.cli.prompt;

import io.nfvlab.cli.CliException;
import io.nfvlab.cli.Errors;
import io.nfvlab.cli.ExitCodes;
import io.nfvlab.cli.HostExec;
import io.nfvlab.cli.Session;
import io.nfvlab.cli.TopologyView;
import io.nfvlab.cli.Words;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code nfvlab>} prompt: reads lines until {@code exit}, {@code quit} or end of input and runs each as a Mininet
 * command against the session. As at Mininet's prompt, a line starting with a host name runs the rest in that host,
 * with other host names replaced by their addresses ({@code h1 ping -c1 h2}). A failing command prints one line and
 * the prompt goes on.
 */
public final class Prompt {
    public static final String PROMPT = "nfvlab> ";
    private static final Set<String> EXIT = Set.of("exit", "quit", "EOF");

    private final Session session;
    private final BufferedReader in;

    public Prompt(Session session, BufferedReader in) {
        this.session = session;
        this.in = in;
    }

    /** Runs until exit or end of input. */
    public void run() throws IOException {
        PrintWriter out = session.getOut();
        while (true) {
            out.print(PROMPT);
            out.flush();
            String line = in.readLine();
            if (line == null) {
                out.println();
                out.flush();
                return;
            }
            List<String> words;
            try {
                words = Words.split(line);
            } catch (CliException e) {
                error(e.getMessage());
                continue;
            }
            if (words.isEmpty()) {
                continue;
            }
            if (EXIT.contains(words.get(0))) {
                return;
            }
            execute(words);
        }
    }

    /** Runs one command line; returns its exit code. */
    public int execute(List<String> words) {
        String first = words.get(0);
        if (first.equals("help") || first.equals("?")) {
            PromptCommands.printHelp(session.getOut());
            return 0;
        }
        var commandLine = PromptCommands.commandLine(session);
        if (!commandLine.getSubcommands().containsKey(first)) {
            try {
                TopologyView view = session.view();
                if (view.hostNames().contains(first)) {
                    return hostCommand(view, first, words.subList(1, words.size()));
                }
            } catch (RuntimeException e) {
                error(Errors.oneLine(e));
                return Errors.exitCode(e);
            }
            error("unknown command: " + first + " (try help)");
            return ExitCodes.USAGE;
        }
        return commandLine.execute(words.toArray(String[]::new));
    }

    private int hostCommand(TopologyView view, String host, List<String> rest) {
        List<String> command = new ArrayList<>();
        for (String w : rest) {
            command.add(view.placement(w).map(TopologyView.Placed::address).filter(a -> a != null).orElse(w));
        }
        try {
            return HostExec.run(HostExec.argv(view, host, command, session.getLocalNode()), session.getOut(), session.getErr(), false);
        } catch (RuntimeException e) {
            error(Errors.oneLine(e));
            return Errors.exitCode(e);
        }
    }

    private void error(String message) {
        session.getErr().println("*** " + message);
        session.getErr().flush();
    }
}
