package io.nfvlab.agent.cni.plugin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The OVS side of an attachment, through ovs-vsctl (one transaction per call, always with --timeout). Ports carry
 * {@code external_ids:nfvlab-cni=<port>} so that they can be told from everyone else's.
 */
public final class OvsPorts {
    public static final String MARK_KEY = "nfvlab-cni";
    static final String VSCTL = "ovs-vsctl";
    private static final long TIMEOUT_MS = 15_000;

    private OvsPorts() {
    }

    private static Exec.Result vsctl(List<String> args) throws CniException {
        List<String> argv = new ArrayList<>(List.of(VSCTL, "--timeout=10"));
        argv.addAll(args);
        try {
            return Exec.run(argv, null, null, TIMEOUT_MS);
        } catch (IOException e) {
            throw new CniException(CniException.TRY_AGAIN_LATER, "ovs-vsctl: " + e.getMessage());
        }
    }

    public static boolean bridgeExists(String bridge) throws CniException {
        Exec.Result r = vsctl(List.of("br-exists", bridge));
        if (r.exitCode() == 2) {
            return false;
        }
        if (!r.ok()) {
            throw new CniException(CniException.TRY_AGAIN_LATER, "OVS is not reachable: " + r.firstErrorLine());
        }
        return true;
    }

    public static void addPort(String bridge, String port, boolean ovsClient, String socketPath, String containerId)
            throws CniException {
        // OVS as vhost client connects whenever the container serves the socket, so nothing needs ovs-vswitchd to have
        // applied the port before ADD returns: --no-wait spares the wait (tens of ms, seconds on a busy switch).
        // A dpdkvhostuser port's socket is made by ovs-vswitchd and linked into the container's directory: wait.
        // A port that OVS fails to create shows in its error column, which CHECK reports.
        List<String> args = new ArrayList<>();
        if (ovsClient) {
            args.add("--no-wait");
        }
        args.addAll(List.of("--", "--may-exist", "add-port", bridge, port, "--", "set", "Interface", port,
                "type=" + (ovsClient ? "dpdkvhostuserclient" : "dpdkvhostuser")));
        if (ovsClient) {
            args.add("options:vhost-server-path=\"" + socketPath + "\"");
        }
        args.add("external_ids:" + MARK_KEY + "=" + port);
        // the container ID is validated to [A-Za-z0-9_.-]: safe inside an OVSDB string
        args.add("external_ids:nfvlab-container=\"" + containerId + "\"");
        Exec.Result r = vsctl(args);
        if (!r.ok()) {
            if (r.stderr().contains("no bridge named")) {
                throw new CniException(CniException.TRY_AGAIN_LATER, "OVS bridge " + bridge
                        + " does not exist (yet): is its DpdkBridge Ready on this node?");
            }
            throw new CniException(CniException.TRY_AGAIN_LATER, "adding port " + port + " to " + bridge + ": " + r.firstErrorLine());
        }
    }

    public static void deletePort(String port) throws CniException {
        // --no-wait: the port is gone from the database at once; not waiting for a busy ovs-vswitchd to apply it
        // keeps DEL fast and from timing out (it applies the removal on its next run, and nothing depends on when)
        Exec.Result r = vsctl(List.of("--no-wait", "--if-exists", "del-port", port));
        if (!r.ok()) {
            throw new CniException(CniException.TRY_AGAIN_LATER, "deleting port " + port + ": " + r.firstErrorLine());
        }
    }

    /** The port's error column, "" when it has none, or null when the port does not exist. */
    public static String portError(String port) throws CniException {
        Exec.Result r = vsctl(List.of("--bare", "--columns=error,external_ids", "find", "Interface", "name=" + port));
        if (!r.ok()) {
            throw new CniException(CniException.TRY_AGAIN_LATER, "reading port " + port + ": " + r.firstErrorLine());
        }
        if (r.stdout().isBlank()) {
            return null;
        }
        String[] lines = r.stdout().split("\n");
        return lines[0].strip();
    }
}
