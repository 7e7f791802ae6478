package io.nfvlab.agent.kernel;

import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.common.Hashes;
import io.nfvlab.api.node.KernelNames;

import java.util.Map;

/**
 * Ownership marks. Interfaces carry {@code nfvlab:<token>:<node>:<logical>} in their ifalias (a namespace carries
 * it on its {@code lo}); once an end is fully configured (qdiscs, offloads) the mark gains a suffix
 * {@code :<signature>} of its shaping ({@link io.nfvlab.agent.kernel.shaping.LinkShaping#signature}), so an end whose
 * mark lacks the current signature is reconfigured. OVS bridges and ports carry the same facts in external_ids.
 */
public final class Marks {
    public static final String OVS_NODE_KEY = "nfvlab-node";
    public static final String OVS_NAME_KEY = "nfvlab-name";
    /** On the OVS bridge of a DpdkBridge: the DpdkBridge's name (ovs-dpdk switches live on that bridge). */
    public static final String OVS_DPDK_BRIDGE_KEY = "nfvlab-dpdkbridge";
    /** On a vhost-user port: the socket and MTU it was created with, so a changed plan replaces the port. */
    public static final String OVS_VHOST_SOCKET_KEY = "nfvlab-vhost-socket";
    public static final String OVS_MTU_KEY = "nfvlab-mtu";

    private Marks() {
    }

    public static String mark(String token, String node, String logical) {
        return KernelNames.ifalias(token, node, logical);
    }

    public static String configured(String token, String node, String logical, String signature) {
        return mark(token, node, logical) + ":" + signature;
    }

    /** True when the alias is a mark of this token on this node. */
    public static boolean ours(String alias, String token, String node) {
        KernelNames.Mark m = KernelNames.parseIfalias(alias);
        return m != null && m.token().equals(token) && m.node().equals(node);
    }

    /** True when the alias is any nfvlab mark for this node. */
    public static boolean forNode(String alias, String node) {
        KernelNames.Mark m = KernelNames.parseIfalias(alias);
        return m != null && m.node().equals(node);
    }

    public static String tokenOf(String alias) {
        KernelNames.Mark m = KernelNames.parseIfalias(alias);
        return m == null ? null : m.token();
    }

    /** The interface group of an owner's root-namespace devices: never 0 (the default group). */
    public static int group(String token) {
        return (token.hashCode() & 0x0fffffff) | 0x10000000;
    }

    public static Map<String, String> ovsIds(String token, String node, String logical) {
        return Map.of(Nfvlab.OVS_OWNER_KEY, token, OVS_NODE_KEY, node, OVS_NAME_KEY, logical);
    }

    /** The external_ids of a vhost-user port: the owner's marks plus what the port was configured with. */
    public static Map<String, String> vhostUserIds(String token, String node, String logical, String socket, Integer mtu) {
        Map<String, String> ids = new java.util.TreeMap<>(ovsIds(token, node, logical));
        ids.put(OVS_VHOST_SOCKET_KEY, socket);
        if (mtu != null) {
            ids.put(OVS_MTU_KEY, String.valueOf(mtu));
        }
        return ids;
    }

    public static boolean ovsOurs(Map<String, String> ids, String token, String node) {
        return ids != null && token.equals(ids.get(Nfvlab.OVS_OWNER_KEY)) && node.equals(ids.get(OVS_NODE_KEY));
    }
}
