package io.nfvlab.operator.topology;

/** One problem in a topology spec: the field path and what is wrong with it. */
public record SpecViolation(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
