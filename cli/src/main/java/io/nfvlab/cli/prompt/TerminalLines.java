package io.nfvlab.cli.prompt;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Lines typed at a terminal, through JLine: editing (Emacs keys, as readline), history kept across sessions in
 * {@link #historyFile()}, and completion of the first word from the commands and host names and of later words from
 * node names. Ctrl-C and Ctrl-D end the prompt as they did before JLine (the help says so).
 */
public final class TerminalLines implements PromptLines {
    private final Terminal terminal;
    private final LineReader reader;

    private TerminalLines(Terminal terminal, LineReader reader) {
        this.terminal = terminal;
        this.reader = reader;
    }

    /**
     * @param commands the prompt's command words
     * @param nodes    the topology's host and switch names, asked at each completion (the topology may change)
     */
    public static TerminalLines open(List<String> commands, Supplier<List<String>> hosts, Supplier<List<String>> nodes)
            throws IOException {
        Terminal terminal = TerminalBuilder.builder().system(true).build();
        Path history = historyFile();
        Files.createDirectories(history.getParent(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("nfvlab")
                .completer(completer(commands, hosts, nodes))
                .variable(LineReader.HISTORY_FILE, history)
                .variable(LineReader.HISTORY_SIZE, 1000)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                // a line is a Mininet command, not a shell one: no ! expansion, backslashes kept for the command
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
        return new TerminalLines(terminal, reader);
    }

    /** $XDG_STATE_HOME/nfvlab/history, else ~/.local/state/nfvlab/history (the XDG base directory default). */
    public static Path historyFile() {
        String state = System.getenv("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() && Path.of(state).isAbsolute()
                ? Path.of(state) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("nfvlab").resolve("history");
    }

    static Completer completer(List<String> commands, Supplier<List<String>> hosts, Supplier<List<String>> nodes) {
        return (lineReader, line, candidates) -> {
            if (line.wordIndex() == 0) {
                commands.forEach(c -> candidates.add(new Candidate(c)));
                safely(hosts).forEach(h -> candidates.add(new Candidate(h)));
            } else {
                safely(nodes).forEach(n -> candidates.add(new Candidate(n)));
            }
        };
    }

    /** Completion must never break the line being typed: no names when the cluster cannot be asked. */
    private static List<String> safely(Supplier<List<String>> names) {
        try {
            return names.get();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    @Override
    public String readLine(String prompt) {
        try {
            return reader.readLine(prompt);
        } catch (UserInterruptException | EndOfFileException e) {
            return null;
        }
    }

    @Override
    public int withoutEcho(IntSupplier action) {
        Attributes saved = terminal.getAttributes();
        Attributes quiet = new Attributes(saved);
        quiet.setLocalFlag(Attributes.LocalFlag.ECHO, false);
        terminal.setAttributes(quiet);
        try {
            return action.getAsInt();
        } finally {
            terminal.setAttributes(saved);
        }
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public void close() {
        try {
            reader.getHistory().save();
            terminal.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
