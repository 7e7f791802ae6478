package io.nfvlab.agent.cni;

import io.nfvlab.api.common.Hashes;

/**
 * Names derived from (container ID, interface): hashed, so any container ID length or content gives a short name
 * that is safe as an OVS port name (IFNAMSIZ) and as a file name.
 */
public final class AttachmentNames {
    public static final String PORT_PREFIX = "nvc";

    private AttachmentNames() {
    }

    static String sha256(String text) {
        return Hashes.sha256Hex(text);
    }

    /** OVS port of an attachment: nvc + 12 hex digits (15 characters). */
    public static String port(String containerId, String ifname) {
        return PORT_PREFIX + sha256(containerId + "\u0000" + ifname).substring(0, 12);
    }

    /** State file name of an attachment (network name included: one container may join several networks). */
    public static String stateFile(String network, String containerId, String ifname) {
        return sha256(network + "\u0000" + containerId + "\u0000" + ifname).substring(0, 40) + ".json";
    }

    /**
     * MAC of an attachment: 02 (locally administered, unicast) then 5 bytes of the hash, stable across ADDs of the same
     * (container ID, interface) so a runtime's retry or CHECK sees the same address. Runtimes refuse a result without one.
     */
    public static String mac(String containerId, String ifname) {
        String h = sha256("mac\u0000" + containerId + "\u0000" + ifname);
        StringBuilder mac = new StringBuilder("02");
        for (int i = 0; i < 10; i += 2) {
            mac.append(':').append(h, i, i + 2);
        }
        return mac.toString();
    }

    /** Per-container shared directory name: the ID itself when short, else its hash. */
    public static String containerDir(String containerId) {
        return containerId.length() <= 64 ? containerId : "h-" + sha256(containerId).substring(0, 40);
    }
}
