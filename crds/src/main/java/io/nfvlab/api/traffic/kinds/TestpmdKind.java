package io.nfvlab.api.traffic.kinds;

import io.nfvlab.api.node.Tool;
import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TestpmdSpec;
import io.nfvlab.api.traffic.TrafficSummary;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.Trial;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * testpmd: one dpdk-testpmd attached as virtio_user to vhost-user ports, either a DpdkBridge's ports (bridgeRef, ports)
 * or a topology's vhostUser hosts (topologyRef, testpmd.hosts); reports Mpps and loss per direction.
 */
public final class TestpmdKind extends TrafficKind {
    TestpmdKind() {
    }

    @Override
    public TrafficType type() {
        return TrafficType.TESTPMD;
    }

    @Override
    public Placement placement(TrafficTestSpec spec) {
        return spec.getTestpmd() != null && spec.getTestpmd().getHosts() != null ? Placement.VHOST_USER_HOSTS : Placement.BRIDGE_PORTS;
    }

    @Override
    public void validateTarget(TrafficTestSpec spec, BiConsumer<String, String> violation) {
        TestpmdSpec testpmd = spec.getTestpmd();
        if (testpmd == null) {
            violation.accept("spec.testpmd", "is required for type testpmd");
        } else if (testpmd.getHosts() != null) {
            validateHosts(spec, violation);
        } else if (blank(testpmd.getBridgeRef())) {
            violation.accept("spec.testpmd.bridgeRef", "is required for type testpmd (or testpmd.hosts with topologyRef)");
        }
    }

    /** testpmd on vhostUser hosts: one or two of them, of the topology the test names, instead of a DpdkBridge's ports. */
    private static void validateHosts(TrafficTestSpec spec, BiConsumer<String, String> violation) {
        TestpmdSpec testpmd = spec.getTestpmd();
        if (testpmd.getBridgeRef() != null || testpmd.getPorts() != null) {
            violation.accept("spec.testpmd", "testpmd attaches either to a DpdkBridge's ports (bridgeRef, ports) or to a "
                    + "topology's vhostUser hosts (hosts), not both");
        }
        if (testpmd.getHosts().isEmpty() || testpmd.getHosts().size() > 2) {
            violation.accept("spec.testpmd.hosts", "one or two vhostUser hosts, got " + testpmd.getHosts().size());
        } else if (Set.copyOf(testpmd.getHosts()).size() != testpmd.getHosts().size()) {
            violation.accept("spec.testpmd.hosts", "names a host twice");
        }
        if (spec.getTopologyRef() == null || blank(spec.getTopologyRef().getName())) {
            violation.accept("spec.topologyRef.name", "is required for testpmd.hosts: the topology the hosts are in");
        }
    }

    @Override
    public Set<Criterion> criteria() {
        return Set.of(Criterion.MIN_MPPS, Criterion.MAX_LOSS);
    }

    /** testpmd's directions are its ports', not host pairs. */
    @Override
    public List<HostPair> pairs(TrafficTestSpec spec, List<String> hosts) {
        return List.of();
    }

    @Override
    public TrafficParameters parameters(TrafficTestSpec spec) {
        return TrafficParameters.builder().testpmd(spec.getTestpmd()).durationSeconds(spec.getDurationSeconds())
                .packetSize(spec.getPacketSize()).build();
    }

    @Override
    public Set<Tool> tools(TrafficParameters parameters) {
        return Set.of(Tool.DPDK_TESTPMD);
    }

    @Override
    public Optional<Verdict> judge(TrafficTestSpec spec, List<PairResult> results, Double foundRate) {
        return Checks.first(() -> Checks.pairErrors(results), () -> Checks.maxLoss(spec.getPassCriteria(), results),
                () -> Checks.minMpps(spec.getPassCriteria(), results));
    }

    @Override
    public String summary(TrafficTestSpec spec, List<PairResult> results, List<Trial> trials, Double foundRate) {
        return "Results: " + results.stream()
                .map(r -> String.format(Locale.ROOT, "rx %.2f Mpps, tx %.2f Mpps", r.getRxMpps() == null ? 0 : r.getRxMpps(),
                        r.getTxMpps() == null ? 0 : r.getTxMpps()) + " (" + TrafficSummary.pair(r) + ")")
                .collect(Collectors.joining("; "));
    }
}
