package io.nfvlab.cli;

/** Where the control plane's log goes unless NFVLAB_LOG says otherwise; errors point users at it. */
public final class LogFile {
    public static final String PATH = "/tmp/nfvlab-cli" + (HostInfo.effectiveUid() == 0 ? "" : "-" + HostInfo.effectiveUid()) + ".log";

    private LogFile() {
    }
}
