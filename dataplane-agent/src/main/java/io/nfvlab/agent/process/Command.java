package io.nfvlab.agent.process;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A program to run: its argument vector (never a shell line), its environment, its standard input and the deadline
 * after which it is killed. Every process has a deadline: one that hangs (ovs-vsctl while ovs-vswitchd is down, a
 * ping to nowhere) must not hold its caller forever.
 *
 * @param environment null: the agent's environment with {@code LC_ALL=C} (tools print what the parsers expect);
 *                    otherwise exactly these variables
 * @param stdin       text written to the program's standard input, then closed; null: none
 * @param terminalInput the program reads this JVM's standard input instead (an interactive command of the CLI)
 */
public record Command(List<String> argv, Map<String, String> environment, String stdin, boolean terminalInput,
                      Duration deadline) {
    public Command {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argument vector");
        }
        environment = environment == null ? null : Map.copyOf(environment);
        Objects.requireNonNull(deadline, "every process has a deadline");
    }

    public static Command of(List<String> argv, Duration deadline) {
        return new Command(argv, null, null, false, deadline);
    }

    public Command withStdin(String text) {
        return new Command(argv, environment, text, false, deadline);
    }

    public Command withEnvironment(Map<String, String> variables) {
        return new Command(argv, variables, stdin, terminalInput, deadline);
    }

    public Command withTerminalInput() {
        return new Command(argv, environment, null, true, deadline);
    }

    String program() {
        return argv.get(0);
    }
}
