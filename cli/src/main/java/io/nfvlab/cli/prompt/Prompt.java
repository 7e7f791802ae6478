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
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code nfvlab>} prompt: reads lines until {@code exit}, {@code quit} or end of input and runs each as a Mininet
 * command against the session. As at Mininet's prompt, a line starting with a host name runs the rest in that host,
 * with other host names replaced by their addresses ({@code h1 ping -c1 h2}); {@code sh CMD} runs CMD in this
 * machine's shell, {@code source FILE} runs FILE's lines, {@code noecho HOST CMD} runs a host command with the
 * terminal's echo off. A failing command prints one line and the prompt goes on.
 */
public final class Prompt {
    public static final String PROMPT = "nfvlab> ";
    private static final Set<String> EXIT = Set.of("exit", "quit", "EOF");
    /** The prompt's own words, beside the picocli commands. */
    static final List<String> BUILTINS = List.of("help", "exit", "quit", "sh", "source", "noecho");
    /** A file that sources itself must end: Mininet's limit is the stack, ours a depth. */
    private static final int MAX_SOURCE_DEPTH = 16;

    private final Session session;
    private final PromptLines lines;
    private int sourceDepth;

    public Prompt(Session session, BufferedReader in) {
        this(session, new PlainLines(in, session.getOut()));
    }

    public Prompt(Session session, PromptLines lines) {
        this.session = session;
        this.lines = lines;
    }

    /**
     * The prompt on this process's stdin: JLine's line editing, history and completion when stdin and stdout are a
     * terminal, else plain lines exactly as before (scripts and pipes see no escape codes).
     */
    public static Prompt onStdin(Session session) throws IOException {
        if (System.console() == null) {
            return new Prompt(session, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        }
        List<String> commands = Stream.concat(BUILTINS.stream(),
                PromptCommands.commandLine(session).getSubcommands().keySet().stream()).sorted().toList();
        return new Prompt(session, TerminalLines.open(commands,
                () -> session.view().hostNames(),
                () -> {
                    TopologyView view = session.view();
                    return Stream.concat(view.hostNames().stream(),
                            view.graph().switches().stream().map(s -> s.name())).toList();
                }));
    }

    /** Runs until exit or end of input. */
    public void run() throws IOException {
        try (lines) {
            while (true) {
                String line = lines.readLine(PROMPT);
                if (line == null || !runLine(line)) {
                    return;
                }
            }
        }
    }

    /** Runs one line; false when it asks to leave. */
    private boolean runLine(String line) {
        String trimmed = line.strip();
        if (trimmed.equals("sh") || trimmed.startsWith("sh ") || trimmed.startsWith("sh\t")) {
            // the rest of the line goes to the shell as typed: quotes and $VARS are the shell's to read
            String command = trimmed.substring(2).strip();
            if (command.isEmpty()) {
                error("sh needs a command: sh CMD runs CMD in this machine's shell");
            } else {
                guarded(() -> HostShell.run(command, session.getOut(), session.getErr(), lines.interactive()));
            }
            return true;
        }
        List<String> words;
        try {
            words = Words.split(line);
        } catch (CliException e) {
            error(e.getMessage());
            return true;
        }
        if (words.isEmpty()) {
            return true;
        }
        if (EXIT.contains(words.get(0))) {
            return false;
        }
        execute(words);
        return true;
    }

    /** Runs one command line; returns its exit code. */
    public int execute(List<String> words) {
        String first = words.get(0);
        if (first.equals("help") || first.equals("?")) {
            PromptCommands.printHelp(session.getOut());
            return 0;
        }
        if (first.equals("source")) {
            return source(words);
        }
        if (first.equals("noecho")) {
            if (words.size() < 3) {
                error("noecho needs a host and a command: noecho HOST CMD…");
                return ExitCodes.USAGE;
            }
            return lines.withoutEcho(() -> execute(words.subList(1, words.size()), true));
        }
        return execute(words, false);
    }

    private int execute(List<String> words, boolean terminalInput) {
        String first = words.get(0);
        var commandLine = PromptCommands.commandLine(session);
        if (!commandLine.getSubcommands().containsKey(first)) {
            try {
                TopologyView view = session.view();
                if (view.hostNames().contains(first)) {
                    return hostCommand(view, first, words.subList(1, words.size()), terminalInput);
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

    /** Mininet's {@code source FILE}: each line of FILE as if typed, without the prompt; exit in FILE ends FILE only. */
    private int source(List<String> words) {
        if (words.size() != 2) {
            error("source needs one file: source FILE");
            return ExitCodes.USAGE;
        }
        if (sourceDepth >= MAX_SOURCE_DEPTH) {
            error("source: more than " + MAX_SOURCE_DEPTH + " files deep (does " + words.get(1) + " source itself?)");
            return ExitCodes.FAILURE;
        }
        List<String> fileLines;
        try {
            fileLines = Files.readAllLines(Path.of(words.get(1)), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            error("source: no file " + words.get(1));
            return ExitCodes.FAILURE;
        } catch (IOException e) {
            error("source: cannot read " + words.get(1) + ": " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        sourceDepth++;
        try {
            for (String line : fileLines) {
                if (!runLine(line)) {
                    break;
                }
            }
        } finally {
            sourceDepth--;
        }
        return 0;
    }

    private int hostCommand(TopologyView view, String host, List<String> rest, boolean terminalInput) {
        List<String> command = new ArrayList<>();
        for (String w : rest) {
            command.add(view.placement(w).map(TopologyView.Placed::address).filter(a -> a != null).orElse(w));
        }
        return guarded(() -> HostExec.run(HostExec.argv(view, host, command, session.getLocalNode()), session.getOut(),
                session.getErr(), terminalInput && lines.interactive()));
    }

    private int guarded(java.util.function.IntSupplier action) {
        try {
            return action.getAsInt();
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
