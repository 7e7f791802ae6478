package io.nfvlab.api.plan;

/**
 * The VXLAN network identifiers the operator gives cross-node links: {@code min} to {@code max}, both included. The
 * default stays clear of what cluster networks use on the same UDP port and underlay: Flannel's VNI 1, Calico's 4096
 * (IPv4) and 4098 (IPv6), and Cilium's tunnel identities (its security identities, below 65536 in one cluster). It
 * starts at 2^20 and runs to the last VNI, 2^24 - 1. A cluster whose network uses VNIs there sets another range
 * (operator flag {@code --vni-range}, chart value {@code operator.vniRange}).
 */
public record VniRange(int min, int max) {
    public static final int LOWEST = 1;
    public static final int HIGHEST = (1 << 24) - 1;
    public static final VniRange DEFAULT = new VniRange(1 << 20, HIGHEST);

    public VniRange {
        if (min < LOWEST || max > HIGHEST || min > max) {
            throw new IllegalArgumentException("VNI range " + min + "-" + max + " is not within " + LOWEST + "-" + HIGHEST
                    + " with its first VNI at most its last");
        }
    }

    /**
     * "MIN-MAX", e.g. "1048576-16777215".
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static VniRange parse(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([0-9]{1,8})-([0-9]{1,8})$").matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a VNI range such as " + DEFAULT);
        }
        return new VniRange(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    public boolean contains(int vni) {
        return vni >= min && vni <= max;
    }

    public int size() {
        return max - min + 1;
    }

    @Override
    public String toString() {
        return min + "-" + max;
    }
}
