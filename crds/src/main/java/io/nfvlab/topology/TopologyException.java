package io.nfvlab.topology;

/** A topology that cannot be expanded; names the offending field so the user can find it. */
public class TopologyException extends RuntimeException {
    private final String field;

    public TopologyException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
