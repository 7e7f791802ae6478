package io.nfvlab.api.expansion;

/** An IPv4 block such as 10.0.0.0/8, handing out its N-th address as Mininet's ipAdd does. */
public record Ipv4Block(long base, int prefixLength) {

    public static Ipv4Block parse(String cidr, String field) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new TopologyException(field, "\"" + cidr + "\" needs a prefix length, e.g. 10.0.0.0/8");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new TopologyException(field, "\"" + cidr + "\" has no valid prefix length");
        }
        if (prefix < 0 || prefix > 30) {
            throw new TopologyException(field, "\"" + cidr + "\": prefix length must be between 0 and 30");
        }
        long address = toLong(cidr.substring(0, slash), field);
        long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        return new Ipv4Block(address & mask, prefix);
    }

    public static long toLong(String dotted, String field) {
        String[] parts = dotted.split("\\.");
        if (parts.length != 4) {
            throw new TopologyException(field, "\"" + dotted + "\" is not an IPv4 address");
        }
        long value = 0;
        for (String p : parts) {
            int octet;
            try {
                octet = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new TopologyException(field, "\"" + dotted + "\" is not an IPv4 address");
            }
            if (octet < 0 || octet > 255) {
                throw new TopologyException(field, "\"" + dotted + "\" has an octet out of range");
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    public static String toDotted(long v) {
        return ((v >> 24) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 8) & 0xff) + "." + (v & 0xff);
    }

    /** Number of usable host addresses (excluding network and broadcast). */
    public long capacity() {
        return (1L << (32 - prefixLength)) - 2;
    }

    public boolean contains(long address) {
        long mask = prefixLength == 0 ? 0 : (0xffffffffL << (32 - prefixLength)) & 0xffffffffL;
        return (address & mask) == base;
    }

    public String address(long n, String field) {
        if (n < 1 || n > capacity()) {
            throw new TopologyException(field, "ipBase " + toDotted(base) + "/" + prefixLength + " has room for "
                    + capacity() + " hosts, host number " + n + " does not fit");
        }
        return toDotted(base + n);
    }

    public String addressWithPrefix(long n, String field) {
        return address(n, field) + "/" + prefixLength;
    }
}
