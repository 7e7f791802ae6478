package io.nfvlab.agent.kernel;

import io.nfvlab.agent.kernel.fake.FakeKernel;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.plan.NodePlanner.DpdkBridgeTarget;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopologySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** ovs-dpdk switches and vhostUser hosts on the in-memory kernel: the DpdkBridge's bridge is used, never owned. */
class OvsDpdkSwitchPlannerTest {
    private static final String NODE = "node-a";
    private static final String BRIDGE = "br-dpdk0";
    private static final String SOCKETS = "/run/nfvlab-test/dpdk/" + BRIDGE;
    private static final Map<String, DpdkBridgeTarget> DPDK0 = Map.of("dpdk0", new DpdkBridgeTarget(BRIDGE, SOCKETS));
    /** The marks OvsDpdkBridges puts on the bridge of DpdkBridge dpdk0 (owner token of the DpdkBridge, not a topology). */
    private static final Map<String, String> DPDK0_BRIDGE_IDS = Map.of(Nfvlab.OVS_OWNER_KEY, "dk0br", Marks.OVS_NODE_KEY, NODE,
            Marks.OVS_DPDK_BRIDGE_KEY, "dpdk0");

    private final FakeKernel kernel = new FakeKernel();
    private final KernelDataplane dataplane = new KernelDataplane(NODE, kernel.ops(), true);

    @AfterEach
    void close() {
        dataplane.close();
    }

    private void dpdkBridgeExists() {
        assertThat(kernel.apply(List.of(new Action.OvsBridgeAdd("dpdkBridges/dpdk0", BRIDGE, DPDK0_BRIDGE_IDS, false, null))).failures()).isEmpty();
    }

    /** h1 and h2 in namespaces and, optionally, vnf1 as a vhost-user endpoint, all on s1 (DpdkBridge dpdk0). */
    private static NetworkNodeState lab(String name, boolean withVnf, Integer vnfMtu) {
        VirtualTopologySpec.VirtualTopologySpecBuilder spec = VirtualTopologySpec.builder()
                .switchKind(SwitchKind.OVS_DPDK).bridgeRef("dpdk0")
                .host(HostSpec.builder().name("h1").build())
                .host(HostSpec.builder().name("h2").build())
                .switchSpec(SwitchSpec.builder().name("s1").build())
                .link(LinkSpec.builder().a("h1").b("s1").build())
                .link(LinkSpec.builder().a("h2").b("s1").build());
        if (withVnf) {
            spec.host(HostSpec.builder().name("vnf1").vhostUser(true).build())
                    .link(LinkSpec.builder().a("vnf1").b("s1").mtu(vnfMtu).build());
        }
        return OneNodePlans.state(name, NODE, spec.build(), DPDK0);
    }

    private static String token(NetworkNodeState s) {
        return s.getSpec().getOwner().getToken();
    }

    @Test
    void theSwitchIsTheDpdkBridgesBridgeAndItsVethEndsArePortsWithTxOffloadOff() {
        dpdkBridgeExists();
        NetworkNodeState s = lab("dpdk-veths", false, null);
        SyncReport r = dataplane.sync(s);

        assertThat(r.errors()).isEmpty();
        assertThat(r.switchesReady()).isEqualTo(1);
        assertThat(r.applied()).noneMatch(a -> a instanceof Action.OvsBridgeAdd || a instanceof Action.OvsBridgeDel);
        List<String> switchEnds = s.getSpec().getLinks().stream().map(l -> l.getB().getDevice()).toList();
        assertThat(kernel.ovsPortBridges()).containsOnlyKeys(switchEnds).containsValues(BRIDGE);
        // as on any OVS userspace datapath: TCP stalls unless both ends of every link send with checksums done
        assertThat(r.applied()).filteredOn(a -> a instanceof Action.OffloadOff).hasSize(4);
        assertThat(dataplane.sync(s).actions()).as("second sync").isZero();
    }

    @Test
    void aMissingDpdkBridgeIsAnErrorOfTheSwitchAndItsLinksUntilItAppears() {
        NetworkNodeState s = lab("dpdk-missing", false, null);
        SyncReport before = dataplane.sync(s);

        assertThat(before.errors()).extracting(e -> e.getItem())
                .contains("switches/s1", "links/" + s.getSpec().getLinks().get(0).getId());
        assertThat(before.errors()).allSatisfy(e -> assertThat(e.getMessage()).contains("DpdkBridge dpdk0").contains(BRIDGE));
        assertThat(kernel.ovsBridges()).as("the topology never creates the DpdkBridge's bridge").isEmpty();
        assertThat(kernel.namespaces()).hasSize(2);

        dpdkBridgeExists();
        SyncReport after = dataplane.sync(s);
        assertThat(after.errors()).isEmpty();
        assertThat(kernel.ovsPortBridges()).hasSize(2).containsValues(BRIDGE);
    }

    @Test
    void aVhostUserHostIsADpdkvhostuserclientPortWithItsSocketInTheDpdkBridgesDirectory() {
        dpdkBridgeExists();
        NetworkNodeState s = lab("dpdk-vhost", true, null);
        PlannedLink vnf = s.getSpec().getLinks().get(2);
        String port = vnf.vhostUserEnd().getDevice();

        SyncReport r = dataplane.sync(s);

        assertThat(r.errors()).isEmpty();
        assertThat(r.hostsReady()).isEqualTo(3);
        assertThat(r.linksReady()).isEqualTo(3);
        assertThat(kernel.namespaces()).as("no namespace for vnf1").hasSize(2).noneMatch(n -> n.endsWith("-vnf1"));
        assertThat(kernel.vhostUserSockets()).containsExactly(Map.entry(port, SOCKETS + "/" + port + ".sock"));
        assertThat(kernel.ovsPortBridges()).containsEntry(port, BRIDGE);
        assertThat(kernel.interfaces(null)).as("no kernel device for a vhost-user port").doesNotContainKey(port);
        assertThat(dataplane.sync(s).actions()).as("second sync").isZero();
    }

    @Test
    void aVhostUserPortWhoseMtuChangedIsReplaced() {
        dpdkBridgeExists();
        dataplane.sync(lab("dpdk-mtu", true, null));
        NetworkNodeState changed = lab("dpdk-mtu", true, 9000);

        SyncReport r = dataplane.sync(changed);

        String item = "links/" + changed.getSpec().getLinks().get(2).getId();
        assertThat(r.applied()).extracting(Action::type).containsExactly("OvsPortDel", "OvsPortAdd");
        assertThat(r.applied()).allMatch(a -> a.item().equals(item));
        assertThat(r.applied().get(1)).isInstanceOfSatisfying(Action.OvsPortAdd.class,
                a -> assertThat(a.vhostUser().mtu()).isEqualTo(9000));
        assertThat(dataplane.sync(changed).actions()).isZero();
    }

    @Test
    void teardownRemovesTheTopologysPortsAndLeavesTheDpdkBridgeAndItsOwnPorts() {
        dpdkBridgeExists();
        // a vhost-user port of the DpdkBridge itself: its marks are on the Interface, without the topology's node key
        kernel.apply(List.of(new Action.OvsPortAdd("dpdkBridges/dpdk0", BRIDGE, "vhu0", Map.of(Nfvlab.OVS_OWNER_KEY, "dk0br"))));
        NetworkNodeState s = lab("dpdk-teardown", true, null);
        dataplane.sync(s);
        assertThat(kernel.ovsPorts()).hasSize(4);

        SyncReport down = dataplane.teardown(s);

        assertThat(down.errors()).isEmpty();
        assertThat(kernel.ovsBridges()).containsExactly(BRIDGE);
        assertThat(kernel.ovsPorts()).containsExactly("vhu0");
        assertThat(kernel.vhostUserSockets()).isEmpty();
        assertThat(kernel.namespaces()).isEmpty();
        assertThat(kernel.interfaces(null).keySet()).noneMatch(d -> d.contains(token(s)));
    }

    @Test
    void anOrphanSweepNeverRemovesADpdkBridgesBridge() {
        dpdkBridgeExists();
        NetworkNodeState s = lab("dpdk-sweep", true, null);
        dataplane.sync(s);

        // neither the topology nor the DpdkBridge is live: only the topology's objects are the topology side's to remove
        dataplane.sweepOrphans(Set.of());

        assertThat(kernel.ovsBridges()).containsExactly(BRIDGE);
        assertThat(kernel.ovsPorts()).isEmpty();
        assertThat(kernel.namespaces()).isEmpty();
    }
}
