package io.nfvlab.agent.ovs;

/** ovsdb-server answered, but not with success: an operation's error (its "details" included) or a JSON-RPC error. */
public final class OvsdbException extends Exception {
    public OvsdbException(String message) {
        super(message);
    }
}
