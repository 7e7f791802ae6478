package io.nfvlab.cni;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The CNI executable: environment + stdin in, result or CNI error object on stdout, exit status 0 or 1. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals("--train")) {
            Training.run();
            return;
        }
        Trace.mark("jvm");
        String stdin = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        CniPlugin.Outcome outcome = CniPlugin.execute(System.getenv(), stdin);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        if (!outcome.stdout().isEmpty()) {
            out.println(outcome.stdout());
        }
        out.flush();
        System.exit(outcome.exitCode());
    }
}
