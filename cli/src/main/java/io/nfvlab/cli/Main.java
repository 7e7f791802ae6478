package io.nfvlab.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of the {@code nfvlab} command. Every error ends as one line on stderr ("nfvlab: …") and an exit code:
 * 2 for a wrong command line, 1 for a failure, 77 when root is needed (see {@link ExitCodes}).
 */
public final class Main {
    /** Where the control plane's own logs go unless NFVLAB_LOG=stderr: the terminal shows only nfvlab's output. */
    public static final String LOG_FILE = "/tmp/nfvlab-cli" + (HostInfo.effectiveUid() == 0 ? "" : "-" + HostInfo.effectiveUid()) + ".log";

    private Main() {
    }

    public static void main(String[] args) {
        configureLogging();
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new NfvlabCommand());
        configure(cl, out, err, "nfvlab: ");
        return cl.execute(args);
    }

    /** Output writers, error handling and parser settings shared by the command line and the prompt. */
    static void configure(CommandLine cl, PrintWriter out, PrintWriter err, String errorPrefix) {
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

    private static void configureLogging() {
        String mode = System.getenv().getOrDefault("NFVLAB_LOG", "");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", mode.equals("debug") ? "debug" : "info");
        setDefault("org.slf4j.simpleLogger.logFile", mode.equals("stderr") || mode.equals("debug") ? "System.err" : LOG_FILE);
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
