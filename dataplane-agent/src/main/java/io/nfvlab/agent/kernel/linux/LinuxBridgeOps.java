package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.kernel.BridgeOps;

import java.time.Duration;
import java.util.List;

/** Linux bridges: {@code ip link add DEV type bridge stp_state N; ip link set DEV alias MARK up}, one batch. */
final class LinuxBridgeOps implements BridgeOps {
    private final String nodeNetns;

    LinuxBridgeOps(String nodeNetns) {
        this.nodeNetns = nodeNetns;
    }

    @Override
    public BatchResult apply(List<Action> actions) {
        IpBatch b = new IpBatch();
        actions.forEach(a -> LinuxLinkOps.render(b, a));
        return b.run(LinuxKernel.ip(nodeNetns, "-force", "-batch", "-"), Duration.ofSeconds(60));
    }
}
