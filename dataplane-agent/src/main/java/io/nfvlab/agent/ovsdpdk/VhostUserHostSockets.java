package io.nfvlab.agent.ovsdpdk;

import io.nfvlab.api.node.Endpoint;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.PlannedLink;

import java.nio.file.Path;

/**
 * The sockets of a topology's vhostUser hosts. A DPDK application serves each (OVS is the client) and removes it when
 * it exits cleanly; one that died leaves the file behind, which nothing else would ever remove once the topology is
 * gone. A socket someone still listens on belongs to that live application and stays.
 */
public final class VhostUserHostSockets {
    private VhostUserHostSockets() {
    }

    /** Removes the planned vhost-user sockets of {@code spec} that nobody listens on; returns how many. */
    public static int removeStale(NetworkNodeStateSpec spec) {
        int removed = 0;
        for (PlannedLink l : spec.linksOrEmpty()) {
            Endpoint end = l.vhostUserEnd();
            Path socket = end == null ? null : Path.of(end.getVhostUserSocket());
            if (socket != null && VhostSockets.removeStaleSocket(socket)) {
                removed++;
            }
        }
        return removed;
    }
}
