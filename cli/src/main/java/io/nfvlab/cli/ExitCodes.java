package io.nfvlab.cli;

/** Exit codes of the nfvlab command; the launcher uses the same values. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Something failed: the API server, the dataplane, a traffic test, a missing package. */
    public static final int FAILURE = 1;
    /** The command line itself is wrong (unknown option, missing argument, bad value). */
    public static final int USAGE = 2;
    /** The command needs root (network namespaces, OVS); EX_NOPERM, as scripts/setup-host.sh uses. */
    public static final int NOT_ROOT = 77;
    /** Stopped by Ctrl-C (128 + SIGINT). */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
