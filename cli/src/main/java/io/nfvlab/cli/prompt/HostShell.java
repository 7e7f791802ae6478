package io.nfvlab.cli.prompt;

import io.nfvlab.agent.process.Command;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.cli.CliException;
import io.nfvlab.cli.ExitCodes;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * The prompt's {@code sh CMD}, as Mininet's: CMD runs in this machine's shell ({@code /bin/sh -c}), in no network
 * namespace, as the user running nfvlab (root under sudo) and with that user's environment. It is the user typing a
 * command into their own shell; nothing else nfvlab does hands text to a shell.
 */
final class HostShell {
    private static final Duration LIMIT = Duration.ofHours(24);

    private HostShell() {
    }

    static int run(String commandText, PrintWriter out, PrintWriter err, boolean interactive) {
        Command command = Command.of(List.of("/bin/sh", "-c", commandText), LIMIT).withEnvironment(System.getenv());
        CommandRunner.Running p;
        try {
            p = CommandRunner.start(interactive ? command.withTerminalInput() : command, to(out), to(err));
        } catch (IOException e) {
            throw CliException.failure("cannot start /bin/sh: " + e.getMessage());
        }
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.close();
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERRUPTED, "interrupted");
        }
    }

    private static java.util.function.Consumer<String> to(PrintWriter writer) {
        return chunk -> {
            synchronized (writer) {
                writer.write(chunk);
                writer.flush();
            }
        };
    }
}
