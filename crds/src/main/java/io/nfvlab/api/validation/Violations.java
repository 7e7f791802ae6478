package io.nfvlab.api.validation;

import java.util.List;
import java.util.stream.Collectors;

/** Text forms of a list of violations, for status conditions, events and the CLI. */
public final class Violations {
    private Violations() {
    }

    /** One line per violation, "field: message", in the order found; empty text for an empty list. */
    public static String format(List<Violation> violations) {
        return violations.stream().map(Violation::toString).collect(Collectors.joining("\n"));
    }

    /** All violations on one line, separated by "; " (a condition message, an event). */
    public static String oneLine(List<Violation> violations) {
        return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
