package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.kernel.BridgeOps;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Linux bridges: {@code ip [-n NS] link add DEV type bridge stp_state N; ip link set DEV alias MARK up}, one batch; in a
 * switch namespace, IPv6 off first ({@link SwitchNamespaceIpv6}).
 */
final class LinuxBridgeOps implements BridgeOps {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LinuxBridgeOps.class);
    private final String nodeNetns;

    LinuxBridgeOps(String nodeNetns) {
        this.nodeNetns = nodeNetns;
    }

    /** One batch per namespace: the node root, or a topology's switch namespace. */
    @Override
    public BatchResult apply(List<Action> actions) {
        Map<String, IpBatch> byNetns = new LinkedHashMap<>();
        for (Action a : actions) {
            String netns = a instanceof Action.BridgeAdd x ? x.netns() : ((Action.BridgeSetStp) a).netns();
            LinuxLinkOps.render(byNetns.computeIfAbsent(netns == null ? "" : netns, k -> new IpBatch()), a);
        }
        BatchResult r = BatchResult.OK;
        for (Map.Entry<String, IpBatch> e : byNetns.entrySet()) {
            String netns = e.getKey().isEmpty() ? nodeNetns : e.getKey();
            if (!e.getKey().isEmpty()) {
                try {
                    // a switch namespace: before its first device (SwitchNamespaceIpv6 says why)
                    SwitchNamespaceIpv6.disable(netns);
                } catch (IOException ex) {
                    LOG.warn("switch namespace {}: IPv6 stays on ({}): its ports get link-local addresses", netns, ex.getMessage());
                }
            }
            r = r.plus(e.getValue().run(LinuxKernel.ip(netns, "-force", "-batch", "-"), Duration.ofSeconds(60)));
        }
        return r;
    }
}
