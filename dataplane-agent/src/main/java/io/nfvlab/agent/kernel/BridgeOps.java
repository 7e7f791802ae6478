package io.nfvlab.agent.kernel;

import java.util.List;

/**
 * Linux bridges in the node root. Linux: {@code ip link add DEV type bridge stp_state N},
 * {@code ip link set DEV alias MARK up}, {@code ip link set DEV type bridge stp_state N}, in one batch.
 */
public interface BridgeOps {
    BatchResult apply(List<Action> actions);
}
