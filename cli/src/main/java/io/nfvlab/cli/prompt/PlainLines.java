package io.nfvlab.cli.prompt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;

/** Lines from a reader, the prompt printed before each as it always was: what scripts piped into nfvlab see. */
public final class PlainLines implements PromptLines {
    private final BufferedReader in;
    private final PrintWriter out;

    public PlainLines(BufferedReader in, PrintWriter out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public String readLine(String prompt) throws IOException {
        out.print(prompt);
        out.flush();
        String line = in.readLine();
        if (line == null) {
            out.println();
            out.flush();
        }
        return line;
    }
}
