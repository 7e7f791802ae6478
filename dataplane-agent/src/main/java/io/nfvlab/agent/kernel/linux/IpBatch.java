package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.process.CommandRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code ip}/{@code tc} in batch mode ({@code -force -batch -}) with lines rendered from actions, and maps the
 * failed line numbers back to the actions. Values are checked before they are written: a batch line is split on
 * white space, so a value with white space, quotes or control characters could smuggle in another argument.
 */
final class IpBatch {
    private static final Pattern FAILED = Pattern.compile("Command failed -:(\\d+)");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:/@%+~\\-]+");

    /** One rendered line: the action it came from, and whether its failure is expected and harmless. */
    record Line(Action action, String text, boolean ignoreFailure) {
    }

    private final List<Line> lines = new ArrayList<>();
    private final List<BatchResult.Failure> rejected = new ArrayList<>();

    void add(Action action, boolean ignoreFailure, String... words) {
        for (String w : words) {
            if (w == null || !SAFE.matcher(w).matches()) {
                rejected.add(new BatchResult.Failure(action, "invalid value '" + w + "' (letters, digits and ._:/@%+~- only)"));
                return;
            }
        }
        lines.add(new Line(action, String.join(" ", words), ignoreFailure));
    }

    /** A line of checked words followed by one double-quoted literal of digits, spaces and commas (BPF bytecode). */
    void addQuoted(Action action, String literal, String... words) {
        if (!literal.matches("[0-9 ,]+")) {
            rejected.add(new BatchResult.Failure(action, "invalid literal '" + literal + "'"));
            return;
        }
        for (String w : words) {
            if (w == null || !SAFE.matcher(w).matches()) {
                rejected.add(new BatchResult.Failure(action, "invalid value '" + w + "' (letters, digits and ._:/@%+~- only)"));
                return;
            }
        }
        lines.add(new Line(action, String.join(" ", words) + " \"" + literal + "\"", false));
    }

    void add(Action action, String... words) {
        add(action, false, words);
    }

    List<Line> lines() {
        return lines;
    }

    List<BatchResult.Failure> rejected() {
        return rejected;
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    /**
     * Namespaces named per process. {@code ip} opens a namespace for each {@code netns NAME} word of a line and never
     * closes it: past its open-file limit it exits at once ("Invalid \"netns\" value", exit status 255) without
     * running the rest of its input. At 10,000 veth pairs with both ends in named namespaces (20,000 descriptors
     * against a limit of 20,000) the last 101 pairs were never created. 512 stays under the common limit of 1024.
     */
    static final int MAX_NAMESPACES_PER_PROCESS = 512;
    /**
     * Lines per process when they name no namespace (e.g. the bridges of a switch namespace): one process costs a
     * few milliseconds, and a bound keeps each well inside its timeout.
     */
    static final int MAX_LINES_PER_PROCESS = 4096;

    /** Runs {@code argv} (e.g. ip -n NS -force -batch -) with the lines on standard input, in order, in chunks. */
    BatchResult run(List<String> argv, Duration timeout) {
        List<BatchResult.Failure> failures = new ArrayList<>(rejected);
        for (List<Line> chunk : chunks(lines)) {
            StringBuilder in = new StringBuilder();
            chunk.forEach(l -> in.append(l.text()).append('\n'));
            failures.addAll(failures(argv.get(0), chunk, InNetns.run(argv, in.toString(), timeout)));
        }
        return new BatchResult(failures);
    }

    /** The lines cut, in order, into runs of at most {@link #MAX_NAMESPACES_PER_PROCESS} netns words and {@link #MAX_LINES_PER_PROCESS} lines. */
    static List<List<Line>> chunks(List<Line> lines) {
        List<List<Line>> out = new ArrayList<>();
        int from = 0;
        int namespaces = 0;
        for (int i = 0; i < lines.size(); i++) {
            int here = namespaceWords(lines.get(i).text());
            if (i > from && (namespaces + here > MAX_NAMESPACES_PER_PROCESS || i - from >= MAX_LINES_PER_PROCESS)) {
                out.add(lines.subList(from, i));
                from = i;
                namespaces = 0;
            }
            namespaces += here;
        }
        if (from < lines.size()) {
            out.add(lines.subList(from, lines.size()));
        }
        return out;
    }

    private static int namespaceWords(String line) {
        int n = 0;
        for (String w : line.split(" ")) {
            if (w.equals("netns")) {
                n++;
            }
        }
        return n;
    }

    /**
     * The failed lines of one process. With {@code -force}, {@code ip} and {@code tc} go on after a failed line and
     * name it ("Command failed -:N"), then exit with status 1. Any other way of ending (a timeout, a fatal error on
     * an argument, a signal) may have left lines unrun: every line after the last one named is then reported failed,
     * deletions included, since nothing confirms that they ran.
     */
    static List<BatchResult.Failure> failures(String program, List<Line> lines, CommandRunner.Result r) {
        List<BatchResult.Failure> failures = new ArrayList<>();
        if (r.timedOut() || r.exitCode() == 127) {
            lines.forEach(l -> failures.add(new BatchResult.Failure(l.action(), r.describe())));
            return failures;
        }
        String previous = "";
        int lastNamed = -1;
        for (String err : r.stderr().split("\n")) {
            Matcher m = FAILED.matcher(err);
            if (m.find()) {
                int n = Integer.parseInt(m.group(1)) - 1;
                if (n >= 0 && n < lines.size()) {
                    lastNamed = Math.max(lastNamed, n);
                    if (!lines.get(n).ignoreFailure()) {
                        failures.add(new BatchResult.Failure(lines.get(n).action(), program + " " + lines.get(n).text() + ": " + previous.strip()));
                    }
                }
                previous = "";
            } else if (!err.isBlank()) {
                previous = err;
            }
        }
        boolean ranToTheEnd = r.exitCode() == 0 || (r.exitCode() == 1 && lastNamed >= 0);
        if (!ranToTheEnd) {
            String why = program + " ended with status " + r.exitCode() + (previous.isBlank() ? "" : " (" + previous.strip() + ")")
                    + " before confirming this line";
            for (int i = lastNamed + 1; i < lines.size(); i++) {
                failures.add(new BatchResult.Failure(lines.get(i).action(), why + ": " + lines.get(i).text()));
            }
        }
        return failures;
    }
}
