package io.nfvlab.api.node;

import io.nfvlab.api.Nfvlab;

import io.nfvlab.api.common.Hashes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Names of the kernel and OVS objects realized for one owner. Everything in the node's root namespace is named
 * {@code nv<token>…} (at most 15 characters, IFNAMSIZ); host namespaces are {@code nfv-<token>-<host>}; inside a host
 * namespace interfaces keep their Mininet names.
 */
public final class KernelNames {
    public static final int TOKEN_LENGTH = 5;
    public static final String ROOT_PREFIX = "nv";

    private KernelNames() {
    }

    /**
     * How many tokens an owner may hold: the operator allocates the first of an owner's {@link #tokenCandidates} that
     * no other owner holds, and the agent accepts no token outside that list. With 100,000 owners in the 2^20 tokens
     * (a tenth taken) all of them are taken with odds 10^-32.
     */
    public static final int TOKEN_CANDIDATES = 32;

    /**
     * The first token candidate of an owner (kind/namespace/name): 5 hex digits of a hash. Only a first guess (20 bits
     * collide often enough between owners): the operator allocates tokens, see {@link #tokenCandidates}.
     */
    public static String token(String kind, String namespace, String name) {
        return Hashes.sha256Hex(ownerKey(kind, namespace, name)).substring(0, TOKEN_LENGTH);
    }

    /**
     * The tokens an owner may hold, in the order the operator tries them: {@link #token} first (so owners keep the names
     * they had before tokens were allocated), then hashes of the owner and the candidate's number. Whoever holds a token
     * is recorded by the API server (one record per token, created or refused atomically), so two owners never share
     * one, and a name chosen to hash onto another owner's token only pushes its own owner to its next candidate.
     */
    public static List<String> tokenCandidates(String kind, String namespace, String name) {
        String key = ownerKey(kind, namespace, name);
        List<String> out = new ArrayList<>(TOKEN_CANDIDATES);
        out.add(token(kind, namespace, name));
        for (int i = 1; i < TOKEN_CANDIDATES; i++) {
            out.add(Hashes.sha256Hex(key + "#" + i).substring(0, TOKEN_LENGTH));
        }
        return out;
    }

    private static String ownerKey(String kind, String namespace, String name) {
        return kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
    }

    public static String hostNetns(String token, String host) {
        return Nfvlab.NETNS_PREFIX + token + "-" + host;
    }

    /**
     * The namespace holding the switch side (bridges, their ports, delay-line devices, VXLAN ends) of a Linux-bridge
     * topology on one node: {@code nfv-<token>--sw<6 hex of the node>}. A host name starts with a letter, so the double
     * dash never names a host; the node's hash keeps two agents of one owner on one machine apart.
     */
    public static String switchNetns(String token, String node) {
        return Nfvlab.NETNS_PREFIX + token + "--sw" + Hashes.sha256Hex(node).substring(0, 6);
    }

    /**
     * The {@code part}-th namespace of a switch side too large for one ({@code part} 0: {@link #switchNetns}, with the
     * marker pair): {@code nfv-<token>--sw<6 hex>-<part>}.
     */
    public static String switchNetns(String token, String node, int part) {
        return part == 0 ? switchNetns(token, node) : switchNetns(token, node) + "-" + part;
    }

    /** Whether {@code netns} is one of the switch-side namespaces of (token, node). */
    public static boolean isSwitchNetns(String netns, String token, String node) {
        String first = switchNetns(token, node);
        return netns != null && netns.startsWith(first) && (netns.length() == first.length() || netns.charAt(first.length()) == '-');
    }

    /**
     * The two ends of the veth pair that shows when the kernel has finished destroying a switch namespace:
     * {@code nv<token>ma} stays in the node root, {@code nv<token>mb} lives in the switch namespace. A dying namespace's
     * devices are unregistered together, so the root end disappears when the kernel is done with the whole batch.
     */
    public static String switchMarker(String token, char side) {
        return checked(ROOT_PREFIX + token + "m" + side);
    }

    /** Bridge device of the i-th switch: nv<token>b<i>. */
    public static String bridge(String token, int switchIndex) {
        return checked(ROOT_PREFIX + token + "b" + switchIndex);
    }

    /** Root-namespace end of the i-th link: nv<token><i>a or nv<token><i>b. */
    public static String linkEnd(String token, int linkIndex, char side) {
        return checked(ROOT_PREFIX + token + linkIndex + side);
    }

    /**
     * Root-namespace end of a link's delay line: nv&lt;token&gt;r&lt;4 hex digits of the link id&gt;&lt;a|b&gt;. The link's
     * a-end is paired with the delay line's a-device and its b-end with the b-device; the delay line passes frames
     * between the two devices. The hashed text is the one earlier agents hashed, so existing devices keep their names.
     */
    public static String relayDevice(String token, String linkId, char side) {
        String hex = io.nfvlab.api.common.Hashes.sha256Hex("null|" + linkId + "|null|null|null|false");
        return checked(ROOT_PREFIX + token + "r" + hex.substring(0, 4) + side);
    }

    /** Temporary root-namespace name of a device that will be moved into a host namespace. */
    public static String staging(String token, int linkIndex, char side) {
        return checked(ROOT_PREFIX + token + "t" + linkIndex + side);
    }

    /** The ifalias mark: nfvlab:<token>:<logical name>. */
    public static String ifalias(String token, String logical) {
        return Nfvlab.IFALIAS_MARK + token + ":" + logical;
    }

    /**
     * The per-node ifalias mark: nfvlab:&lt;token&gt;:&lt;node&gt;:&lt;logical&gt;. Carrying the node lets several agents share
     * one machine: each sweeps only objects marked for its own node.
     */
    public static String ifalias(String token, String node, String logical) {
        return Nfvlab.IFALIAS_MARK + token + ":" + node + ":" + logical;
    }

    /** A parsed per-node mark; {@code suffix} is whatever the writer appended after the logical name (may be null). */
    public record Mark(String token, String node, String logical, String suffix) {
    }

    /** Parses a mark written by {@link #ifalias(String, String, String)} (optionally followed by ":suffix"), or null. */
    public static Mark parseIfalias(String alias) {
        if (alias == null || !alias.startsWith(Nfvlab.IFALIAS_MARK)) {
            return null;
        }
        String[] parts = alias.substring(Nfvlab.IFALIAS_MARK.length()).split(":", 4);
        if (parts.length < 3) {
            return null;
        }
        return new Mark(parts[0], parts[1], parts[2], parts.length == 4 ? parts[3] : null);
    }

    /** The owner token in an ifalias written by {@link #ifalias}, or null when the alias is not ours. */
    public static String tokenOfIfalias(String alias) {
        if (alias == null || !alias.startsWith(Nfvlab.IFALIAS_MARK)) {
            return null;
        }
        String rest = alias.substring(Nfvlab.IFALIAS_MARK.length());
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }

    /** The owner token of a host namespace name, or null when the namespace is not ours. */
    public static String tokenOfNetns(String netns) {
        if (netns == null || !netns.startsWith(Nfvlab.NETNS_PREFIX) || netns.length() < Nfvlab.NETNS_PREFIX.length() + TOKEN_LENGTH + 1) {
            return null;
        }
        String token = netns.substring(Nfvlab.NETNS_PREFIX.length(), Nfvlab.NETNS_PREFIX.length() + TOKEN_LENGTH);
        return netns.charAt(Nfvlab.NETNS_PREFIX.length() + TOKEN_LENGTH) == '-' ? token : null;
    }

    /** Name of the NetworkNodeState for (owner, node): a DNS subdomain, unique per owner kind/namespace/name/node. */
    public static String nodeStateName(String kind, String namespace, String name, String node) {
        String base = (kind + "." + (namespace == null ? "cluster" : namespace) + "." + name + "." + node).toLowerCase(Locale.ROOT);
        if (base.length() <= 253) {
            return base;
        }
        return base.substring(0, 240) + "." + token(kind, namespace, name + "/" + node);
    }

    /**
     * Name of the {@code index}-th NetworkNodeState of a node plan split into parts: part 0 keeps the unsplit name
     * (a plan that fits keeps its one object), the others append "-&lt;index&gt;".
     */
    public static String nodeStateName(String kind, String namespace, String name, String node, int index) {
        String base = nodeStateName(kind, namespace, name, node);
        if (index == 0) {
            return base;
        }
        String suffix = "-" + index;
        if (base.length() + suffix.length() <= 253) {
            return base + suffix;
        }
        String full = (kind + "." + (namespace == null ? "cluster" : namespace) + "." + name + "." + node).toLowerCase(Locale.ROOT);
        return full.substring(0, 240) + "." + token(kind, namespace, name + "/" + node) + suffix;
    }

    private static String checked(String name) {
        if (name.length() > 15) {
            throw new IllegalArgumentException("interface name " + name + " exceeds 15 characters");
        }
        return name;
    }
}
