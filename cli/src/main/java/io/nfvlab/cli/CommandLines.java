package io.nfvlab.cli;

import picocli.CommandLine;

import java.io.PrintWriter;

/** How every nfvlab command line is set up: by {@code nfvlab} itself and, per line, by the {@code nfvlab>} prompt. */
public final class CommandLines {
    private CommandLines() {
    }

    /** Output writers, error handling and parser settings shared by the command line and the prompt. */
    public static void configure(CommandLine cl, PrintWriter out, PrintWriter err, String errorPrefix) {
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExitCodeExceptionMapper(Errors::exitCode);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine bad = ex.getCommandLine();
            bad.getErr().println(errorPrefix + Errors.flatten(ex.getMessage()) + " (see `"
                    + bad.getCommandSpec().qualifiedName().strip() + " --help`)");
            bad.getErr().flush();
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, bad, parseResult) -> {
            bad.getErr().println(errorPrefix + Errors.oneLine(ex));
            bad.getErr().flush();
            return Errors.exitCode(ex);
        });
        CommandLine exec = cl.getSubcommands().get("exec");
        if (exec != null) {
            // everything after the host is the command, options included: exec h1 ping -c1 10.0.0.2
            exec.setStopAtPositional(true);
        }
    }
}
