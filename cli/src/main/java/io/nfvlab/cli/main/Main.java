package io.nfvlab.cli.main;

import io.nfvlab.cli.CommandLines;
import io.nfvlab.cli.Errors;
import io.nfvlab.cli.ExitCodes;
import io.nfvlab.cli.LogFile;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of the {@code nfvlab} command. Every error ends as one line on stderr ("nfvlab: …") and an exit code:
 * 2 for a wrong command line, 1 for a failure, 77 when root is needed (see {@link ExitCodes}).
 */
public final class Main {
    /** Where the control plane's own logs go unless NFVLAB_LOG=stderr: the terminal shows only nfvlab's output. */
    public static final String LOG_FILE = LogFile.PATH;

    private Main() {
    }

    public static void main(String[] args) {
        // picocli otherwise looks for Groovy's Closure class at each object it makes: a class that is not there is
        // looked for in every one of the ~100 jars, each opened to read its directory (≈15 ms at each start)
        setDefault("picocli.disable.closures", "true");
        // JNA otherwise runs `ldconfig -p` when its first library loads, to add the linker cache's directories to its
        // own search path; nfvlab loads only libc through JNA, by its soname, which the system's loader finds itself
        setDefault("jna.platform.library.path", "");
        io.nfvlab.runtime.CommonPool.atLeastTwoWorkers();
        configureLogging();
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = NfvlabCommand.commandLine(args);
        CommandLines.configure(cl, out, err, "nfvlab: ");
        return cl.execute(args);
    }


    private static void configureLogging() {
        // named, SLF4J loads its provider directly; looked for, ServiceLoader opens every jar on the class path
        setDefault("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider");
        setDefault("slf4j.internal.verbosity", "WARN"); // not "Attempting to load provider …" on the terminal
        String mode = System.getenv().getOrDefault("NFVLAB_LOG", "");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", mode.equals("debug") ? "debug" : "info");
        setDefault("org.slf4j.simpleLogger.logFile", mode.equals("stderr") || mode.equals("debug") ? "System.err" : LOG_FILE);
        if (!mode.equals("debug")) {
            // the log is read when something failed: the operator SDK's start-up banner (a dozen lines at every run)
            // and fabric8's notice that v1alpha1 is not a stable version say nothing then, and formatting them cost
            // ≈5 ms of each run
            setDefault("org.slf4j.simpleLogger.log.io.javaoperatorsdk", "warn");
            setDefault("org.slf4j.simpleLogger.log.Default ConfigurationService implementation", "warn"); // the SDK's too
            setDefault("org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", "error");
        }
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
