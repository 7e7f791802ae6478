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

    /** Runs {@code argv} (e.g. ip -n NS -force -batch -) with the lines on standard input. */
    BatchResult run(List<String> argv, Duration timeout) {
        List<BatchResult.Failure> failures = new ArrayList<>(rejected);
        if (lines.isEmpty()) {
            return new BatchResult(failures);
        }
        StringBuilder in = new StringBuilder();
        lines.forEach(l -> in.append(l.text()).append('\n'));
        CommandRunner.Result r = InNetns.run(argv, in.toString(), timeout);
        if (r.timedOut() || r.exitCode() == 127) {
            lines.forEach(l -> failures.add(new BatchResult.Failure(l.action(), r.describe())));
            return new BatchResult(failures);
        }
        String previous = "";
        for (String err : r.stderr().split("\n")) {
            Matcher m = FAILED.matcher(err);
            if (m.find()) {
                int n = Integer.parseInt(m.group(1)) - 1;
                if (n >= 0 && n < lines.size() && !lines.get(n).ignoreFailure()) {
                    failures.add(new BatchResult.Failure(lines.get(n).action(),
                            argv.get(0) + " " + lines.get(n).text() + ": " + previous.strip()));
                }
                previous = "";
            } else if (!err.isBlank()) {
                previous = err;
            }
        }
        return new BatchResult(failures);
    }
}
