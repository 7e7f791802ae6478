package io.nfvlab.api.topology;

/** Limits on names that end up in kernel interface names (IFNAMSIZ is 16 including the NUL). */
public final class Names {
    public static final int IFNAMSIZ = 15;
    /** Host and switch names: DNS labels short enough that "name-ethNNNN" fits in 15 characters. */
    public static final String NODE_NAME_PATTERN = "^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$";
    public static final int MAX_NODE_NAME = 10;
    /**
     * A unicast MAC address: six octets whose first has the multicast (group) bit, its lowest, clear. Linux refuses a
     * multicast address on an interface (EADDRNOTAVAIL), so the schema refuses it before the agent would fail.
     */
    public static final String UNICAST_MAC_PATTERN = "^[0-9a-fA-F][02468aceACE](:[0-9a-fA-F]{2}){5}$";

    /**
     * 00:00:00:00:00:00, which Linux refuses on an interface (EADDRNOTAVAIL: not a valid Ethernet address). The schema's
     * pattern cannot exclude it without a lookahead, so the validator and the agent's plan check do.
     */
    public static boolean isAllZeroMac(String mac) {
        return mac.replace(":", "").chars().allMatch(c -> c == '0');
    }

    private Names() {
    }
}
