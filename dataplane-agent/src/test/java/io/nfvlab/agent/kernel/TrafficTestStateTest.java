package io.nfvlab.agent.kernel;

import io.nfvlab.agent.kernel.fake.FakeKernel;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A traffic test's node state is neither read from nor torn down in the kernel; every other state still is. */
class TrafficTestStateTest {
    private static final String NODE = "n1";

    private final FakeKernel kernel = new FakeKernel();
    private final AtomicInteger namespaceListings = new AtomicInteger();
    private final KernelDataplane dataplane = new KernelDataplane(NODE, countingListings(kernel.ops()), true);

    @Test
    void aTrafficTestsStateIsSyncedAndTornDownWithoutReadingTheKernel() {
        NetworkNodeState test = trafficTestState("ping1");

        SyncReport synced = dataplane.sync(test);
        SyncReport torn = dataplane.teardown(test);

        assertThat(synced.actions()).isZero();
        assertThat(synced.errors()).isEmpty();
        assertThat(torn.actions()).isZero();
        assertThat(namespaceListings).hasValue(0);
    }

    @Test
    void aTopologysStateWithNothingLeftInItsSpecStillRemovesWhatItsTokenBuilt() {
        NetworkNodeState topology = OneNodePlans.state("lin2", NODE, linear(2));
        assertThat(dataplane.sync(topology).errors()).isEmpty();
        assertThat(kernel.hostNamespaces()).hasSize(2);

        NetworkNodeState emptied = OneNodePlans.state("lin2", NODE, linear(2));
        emptied.setSpec(NetworkNodeStateSpec.builder().nodeName(NODE).owner(topology.getSpec().getOwner()).build());
        assertThat(KernelDataplane.buildsNothing(emptied)).isFalse();
        SyncReport r = dataplane.sync(emptied);

        assertThat(r.actions()).isPositive();
        assertThat(kernel.hostNamespaces()).isEmpty();
    }

    @Test
    void aStateOwnedByATrafficTestThatDeclaresHostsIsPlannedFromTheKernel() {
        NetworkNodeState odd = OneNodePlans.state("lin2", NODE, linear(2));
        OwnerRef owner = odd.getSpec().getOwner();
        owner.setKind("TrafficTest");

        assertThat(KernelDataplane.buildsNothing(odd)).isFalse();
        dataplane.sync(odd);
        assertThat(namespaceListings.get()).isPositive();
    }

    private NetworkNodeState trafficTestState(String name) {
        OwnerRef owner = OwnerRef.builder().kind("TrafficTest").namespace("default").name(name)
                .token(KernelNames.token("TrafficTest", "default", name)).generation(1L).build();
        NetworkNodeState s = new NetworkNodeState();
        s.getMetadata().setName(KernelNames.nodeStateName("TrafficTest", "default", name, NODE));
        s.setSpec(NetworkNodeStateSpec.builder().nodeName(NODE).owner(owner).trafficJobs(List.of(new TrafficJob())).build());
        return s;
    }

    private static VirtualTopologySpec linear(int k) {
        return VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("linear," + k).build()).build();
    }

    private KernelOps countingListings(KernelOps ops) {
        NetnsOps real = ops.netns();
        NetnsOps counting = new NetnsOps() {
            @Override
            public Set<String> list() {
                namespaceListings.incrementAndGet();
                return real.list();
            }

            @Override
            public BatchResult apply(List<Action> actions) {
                return real.apply(actions);
            }

            @Override
            public java.util.Map<String, Long> identities(Set<String> names) {
                return real.identities(names);
            }

            @Override
            public List<String> holders(java.util.Map<String, Long> identities) {
                return real.holders(identities);
            }
        };
        return new KernelOps(counting, ops.links(), ops.bridges(), ops.shaping(), ops.ovs(), ops.relays());
    }
}
