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

    /** Per-container shared directory name: the ID itself when short, else its hash. */
    public static String containerDir(String containerId) {
        return containerId.length() <= 64 ? containerId : "h-" + sha256(containerId).substring(0, 40);
    }
}
