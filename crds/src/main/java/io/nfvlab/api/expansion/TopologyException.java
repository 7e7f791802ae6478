package io.nfvlab.api.expansion;

/** A topology that cannot be expanded; names the offending field so the user can find it. */
public class TopologyException extends RuntimeException {
    private final String field;
    private final String reason;

    public TopologyException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
        this.reason = message;
    }

    /** The problem without the field prefix. */
    public String reason() {
        return reason;
    }

    public String field() {
        return field;
    }
}
