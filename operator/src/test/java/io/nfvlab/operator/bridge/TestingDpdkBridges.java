package io.nfvlab.operator.bridge;

import io.nfvlab.agent.ovsdpdk.DpdkBridges;
import io.nfvlab.agent.ovsdpdk.VhostSockets;
import io.nfvlab.api.bridge.NodeBridgeStatus;
import io.nfvlab.api.node.NetworkNodeState;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory {@link DpdkBridges} for operator tests: every planned bridge is "up" with its ports down (no peer),
 * and the bridges currently built are remembered so that a test can see teardown happen. Realizes nothing.
 */
final class TestingDpdkBridges implements DpdkBridges {
    final Set<String> built = ConcurrentHashMap.newKeySet();

    @Override
    public List<NodeBridgeStatus> sync(NetworkNodeState state) {
        return state.getSpec().dpdkBridgesOrEmpty().stream().map(b -> {
            built.add(b.getSpec().getBridgeName());
            return NodeBridgeStatus.builder().node(state.getSpec().getNodeName()).bridgeName(b.getSpec().getBridgeName())
                    .bridgeUp(true).ports(b.getSpec().getPorts().stream().map(p -> NodeBridgeStatus.PortStatus.builder()
                            .name(p.getName()).socketPath(VhostSockets.socketPath(b, p).toString()).state("down")
                            .rxPackets(0L).txPackets(0L).rxDropped(0L).txDropped(0L).build()).toList())
                    .build();
        }).toList();
    }

    @Override
    public void teardown(NetworkNodeState state) {
        state.getSpec().dpdkBridgesOrEmpty().forEach(b -> built.remove(b.getSpec().getBridgeName()));
    }
}
