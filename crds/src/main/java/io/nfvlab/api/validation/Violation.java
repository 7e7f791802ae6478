package io.nfvlab.api.validation;

import java.util.Objects;

/**
 * One thing wrong with a resource: where ({@code field}, a path such as {@code spec.links[3].b}) and what, in words a
 * person understands. Validators return these instead of throwing, so that every problem is reported at once.
 */
public record Violation(String field, String message) {
    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
