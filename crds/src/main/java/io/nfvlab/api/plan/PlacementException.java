package io.nfvlab.api.plan;

/** The topology cannot be placed on the nodes there are now; it may become placeable when nodes change. */
public class PlacementException extends RuntimeException {
    private final String reason;

    public PlacementException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** CamelCase condition reason, e.g. NoAgentNodes. */
    public String reason() {
        return reason;
    }
}
