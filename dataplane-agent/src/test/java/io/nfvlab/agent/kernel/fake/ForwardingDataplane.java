package io.nfvlab.agent.kernel.fake;

import io.nfvlab.agent.kernel.NodeDataplane;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.kernel.shaping.ShapingMechanisms;
import io.nfvlab.api.node.NetworkNodeState;

import java.util.Set;

/** A node dataplane that hands everything to another, for a test to change one answer (a slow or hanging sync, say). */
public class ForwardingDataplane implements NodeDataplane {
    private final NodeDataplane to;

    public ForwardingDataplane(NodeDataplane to) {
        this.to = to;
    }

    @Override
    public SyncReport sync(NetworkNodeState state) {
        return to.sync(state);
    }

    @Override
    public SyncReport teardown(NetworkNodeState state) {
        return to.teardown(state);
    }

    @Override
    public long byteBoundDrops() {
        return to.byteBoundDrops();
    }

    @Override
    public Set<String> sweepOrphans(Set<String> liveTokens) {
        return to.sweepOrphans(liveTokens);
    }

    @Override
    public String containerRuntimeName() {
        return to.containerRuntimeName();
    }

    @Override
    public ShapingMechanisms shapingMechanisms() {
        return to.shapingMechanisms();
    }

    @Override
    public void close() {
        to.close();
    }
}
