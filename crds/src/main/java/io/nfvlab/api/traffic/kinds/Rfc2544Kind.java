package io.nfvlab.api.traffic.kinds;

import io.nfvlab.api.expansion.TopologyGraph;
import io.nfvlab.api.node.Tool;
import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.Rfc2544Dpdk;
import io.nfvlab.api.traffic.Rfc2544Frames;
import io.nfvlab.api.traffic.Rfc2544Row;
import io.nfvlab.api.traffic.Rfc2544Spec;
import io.nfvlab.api.traffic.TestpmdSpec;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.Trial;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * rfc2544: RFC 2544 throughput (NDR and PDR from one search), latency, back-to-back and frame loss per frame size.
 * Two paths: DPDK (spec.rfc2544.dpdk: a rate-controlled generator on one vhostUser host, testpmd forwarding on
 * another, both on their node's DpdkBridge) or kernel (iperf3 UDP at a rate with -l sized to the frame, between
 * spec.source and spec.destination, as throughput-search). Passes when every frame size found an NDR or a PDR;
 * the figures are in status.rfc2544, one row per frame size.
 */
public final class Rfc2544Kind extends TrafficKind {
    /** testpmd forwarding modes a device under test may use: both return what they receive on the same port. */
    public static final String DEFAULT_DUT_MODE = "macswap";
    /** The DpdkBridge is the device under test: the generator sends on one port and counts on the other. */
    public static final String BRIDGE_DUT_MODE = "bridge";
    /** MTU of a link that sets none (Linux's and OVS's default). */
    public static final int DEFAULT_MTU = 1500;

    Rfc2544Kind() {
    }

    @Override
    public TrafficType type() {
        return TrafficType.RFC2544;
    }

    /** Whether the test runs on the DPDK path (spec.rfc2544.dpdk). */
    public static boolean onDpdk(Rfc2544Spec spec) {
        return spec != null && spec.getDpdk() != null;
    }

    /** The DPDK path's device under test: testpmd's forwarding mode, or {@link #BRIDGE_DUT_MODE}; null on the kernel path. */
    public static String dutMode(Rfc2544Spec spec) {
        if (!onDpdk(spec)) {
            return null;
        }
        return spec.getDpdk().getDutMode() == null ? DEFAULT_DUT_MODE : spec.getDpdk().getDutMode();
    }

    /** Whether the DpdkBridge itself is the device under test (no testpmd runs). */
    public static boolean bridgeIsDut(Rfc2544Spec spec) {
        return BRIDGE_DUT_MODE.equals(dutMode(spec));
    }

    @Override
    public Placement placement(TrafficTestSpec spec) {
        return onDpdk(spec.getRfc2544()) ? Placement.VHOST_USER_HOSTS : Placement.TOPOLOGY_HOSTS;
    }

    @Override
    public void validateTarget(TrafficTestSpec spec, BiConsumer<String, String> violation) {
        super.validateTarget(spec, violation);
        Rfc2544Spec r = spec.getRfc2544() == null ? new Rfc2544Spec() : spec.getRfc2544();
        List<String> sizes = r.getFrameSizes();
        if (sizes != null) {
            for (int i = 0; i < sizes.size(); i++) {
                String field = "spec.rfc2544.frameSizes[" + i + "]";
                try {
                    Optional<Integer> bytes = Rfc2544Frames.fixedBytes(sizes.get(i));
                    if (bytes.isPresent() && (bytes.get() < Rfc2544Frames.MIN_FRAME || bytes.get() > Rfc2544Frames.MAX_FRAME)) {
                        violation.accept(field, "must be " + Rfc2544Frames.MIN_FRAME + ".." + Rfc2544Frames.MAX_FRAME
                                + " bytes (and fit the link's MTU + 18), got " + bytes.get());
                    }
                    if (bytes.isEmpty() && !onDpdk(r)) {
                        violation.accept(field, "IMIX needs the DPDK generator (spec.rfc2544.dpdk): iperf3 sends frames of one size");
                    }
                } catch (IllegalArgumentException e) {
                    violation.accept(field, e.getMessage());
                }
            }
            if (Set.copyOf(sizes).size() != sizes.size()) {
                violation.accept("spec.rfc2544.frameSizes", "names a frame size twice");
            }
        }
        double min = r.getMinRatePercent() == null ? Rfc2544Spec.DEFAULT_MIN_PERCENT : r.getMinRatePercent();
        double max = r.getMaxRatePercent() == null ? Rfc2544Spec.DEFAULT_MAX_PERCENT : r.getMaxRatePercent();
        if (min >= max) {
            violation.accept("spec.rfc2544.minRatePercent", "must be below maxRatePercent (" + number(max) + "), got " + number(min));
        }
        if (max > 100) {
            violation.accept("spec.rfc2544.maxRatePercent", "is above line rate: at most 100, got " + number(max));
        }
        double ndr = r.getNdrLossPercent() == null ? 0 : r.getNdrLossPercent();
        double pdr = r.getPdrLossPercent() == null ? Rfc2544Spec.DEFAULT_PDR_LOSS_PERCENT : r.getPdrLossPercent();
        if (pdr <= ndr) {
            violation.accept("spec.rfc2544.pdrLossPercent", "must be above ndrLossPercent (" + number(ndr) + "), got " + number(pdr));
        }
        if (!onDpdk(r)) {
            if (Boolean.TRUE.equals(r.getBackToBack())) {
                violation.accept("spec.rfc2544.backToBack", "needs the DPDK generator (spec.rfc2544.dpdk): iperf3 cannot send a burst at line rate");
            }
            if (Boolean.TRUE.equals(r.getLatency())) {
                violation.accept("spec.rfc2544.latency", "needs the DPDK generator (spec.rfc2544.dpdk): iperf3 does not time each frame");
            }
        } else if (spec.getSource() != null || spec.getDestination() != null) {
            violation.accept(spec.getSource() != null ? "spec.source" : "spec.destination",
                    "does not apply on the DPDK path: spec.rfc2544.dpdk names the generator and the device under test");
        }
        if (spec.getPacketSize() != null) {
            violation.accept("spec.packetSize", "does not apply to rfc2544: use spec.rfc2544.frameSizes");
        }
    }

    /**
     * The test on its topology: the line rate of the kernel path (the slowest shaped link of the two hosts, unless
     * set) and the frame sizes against the hosts' MTU. Violations name the field; the returned spec carries the
     * line rate.
     */
    @Override
    public TrafficTestSpec onTopology(TrafficTestSpec spec, Supplier<TopologyGraph> topology, BiConsumer<String, String> violation) {
        TopologyGraph graph = topology.get();
        Rfc2544Spec r = spec.getRfc2544() == null ? new Rfc2544Spec() : spec.getRfc2544();
        List<String> hosts = onDpdk(r) ? List.of(r.getDpdk().getGenerator(), r.getDpdk().getDut())
                : pairs(spec, graph.hosts().stream().map(TopologyGraph.Host::name).toList()).stream()
                .flatMap(p -> java.util.stream.Stream.of(p.source(), p.destination())).toList();
        List<LinkParams> links = new ArrayList<>();
        for (String host : hosts) {
            graph.linksOf(host).forEach(l -> links.add(l.params() == null ? new LinkParams() : l.params()));
        }
        int mtu = links.stream().map(LinkParams::getMtu).filter(m -> m != null).mapToInt(Integer::intValue).min().orElse(DEFAULT_MTU);
        List<String> sizes = frameSizes(r);
        for (int i = 0; i < sizes.size(); i++) {
            try {
                int largest = Rfc2544Frames.largestBytes(sizes.get(i));
                if (largest > mtu + Rfc2544Frames.ETHERNET_OVERHEAD) {
                    violation.accept("spec.rfc2544.frameSizes[" + i + "]", "a " + largest + "-byte frame does not fit the MTU of "
                            + String.join(" and ", hosts) + "'s links (" + mtu + ", frames up to " + (mtu + Rfc2544Frames.ETHERNET_OVERHEAD) + " bytes)");
                }
            } catch (IllegalArgumentException e) {
                // validateTarget reported it
            }
        }
        if (r.getLineRateGbps() != null || onDpdk(r)) {
            return spec;
        }
        Optional<Double> shaped = links.stream().map(LinkParams::getBandwidthMbps).filter(b -> b != null && b > 0)
                .min(Double::compare);
        if (shaped.isEmpty()) {
            violation.accept("spec.rfc2544.lineRateGbps", "is required on the kernel path when neither " + String.join(" nor ", hosts)
                    + " has a link with bandwidthMbps");
            return spec;
        }
        return spec.toBuilder().rfc2544(r.toBuilder().lineRateGbps(shaped.get() / 1000).build()).build();
    }

    /** The frame sizes to test, in order: by default RFC 2544's and IMIX, which the kernel path leaves out (iperf3 sends one size). */
    public static List<String> frameSizes(Rfc2544Spec r) {
        if (r != null && r.getFrameSizes() != null) {
            return r.getFrameSizes();
        }
        return onDpdk(r) ? Rfc2544Spec.DEFAULT_FRAME_SIZES
                : Rfc2544Spec.DEFAULT_FRAME_SIZES.stream().filter(f -> !Rfc2544Spec.IMIX.equals(f)).toList();
    }

    /** The vhostUser hosts of the DPDK path in attachment order (generator, then device under test), with their fields. */
    @Override
    public List<VhostUserHost> vhostUserHosts(TrafficTestSpec spec) {
        Rfc2544Dpdk d = spec.getRfc2544() == null ? null : spec.getRfc2544().getDpdk();
        return d == null ? List.of() : List.of(new VhostUserHost("spec.rfc2544.dpdk.generator", d.getGenerator()),
                new VhostUserHost("spec.rfc2544.dpdk.dut", d.getDut()));
    }

    @Override
    public Set<Criterion> criteria() {
        return Set.of();
    }

    @Override
    public String refusal(Criterion criterion) {
        return "rfc2544 passes when every frame size found an NDR or a PDR; its figures are in status.rfc2544";
    }

    @Override
    public List<HostPair> pairs(TrafficTestSpec spec, List<String> hosts) {
        if (onDpdk(spec.getRfc2544())) {
            return List.of();
        }
        return List.of(new HostPair(or(spec.getSource(), hosts.get(0)), or(spec.getDestination(), hosts.get(hosts.size() - 1))));
    }

    /** The kernel path runs iperf3 servers in the destination. */
    @Override
    public boolean needsServers() {
        return true;
    }

    @Override
    public TrafficParameters parameters(TrafficTestSpec spec) {
        Rfc2544Spec r = spec.getRfc2544() == null ? new Rfc2544Spec() : spec.getRfc2544();
        TrafficParameters.TrafficParametersBuilder p = TrafficParameters.builder().rfc2544(r);
        if (spec.getTestpmd() != null) {
            // the DPDK path: the operator resolved the two hosts to their vhost-user ports
            p.testpmd(spec.getTestpmd());
        }
        return p.build();
    }

    /**
     * The job carries the ports in order (generator, device under test) as spec.testpmd, with testpmd's forwarding
     * mode when testpmd is the device under test (none when the bridge is: the agent reads spec.rfc2544.dpdk.dutMode).
     */
    @Override
    public TrafficTestSpec onVhostUserPorts(TrafficTestSpec spec, List<String> ports) {
        String mode = dutMode(spec.getRfc2544());
        return spec.toBuilder().testpmd(TestpmdSpec.builder().ports(ports)
                .mode(BRIDGE_DUT_MODE.equals(mode) ? null : mode).build()).build();
    }

    /** The DPDK path needs testpmd only as the device under test; nfvlab-gen is nfvlab's own (no Debian package). */
    @Override
    public Set<Tool> tools(TrafficParameters parameters) {
        if (!onDpdk(parameters.getRfc2544())) {
            return Set.of(Tool.IP, Tool.IPERF3);
        }
        return bridgeIsDut(parameters.getRfc2544()) ? Set.of() : Set.of(Tool.DPDK_TESTPMD);
    }

    @Override
    public Optional<Verdict> judge(TrafficTestSpec spec, List<PairResult> results, Double foundRate) {
        return judge(spec, results, foundRate, List.of());
    }

    @Override
    public Optional<Verdict> judge(TrafficTestSpec spec, List<PairResult> results, Double foundRate, List<Rfc2544Row> rows) {
        Optional<Verdict> pairError = Checks.pairErrors(results);
        if (pairError.isPresent()) {
            return pairError;
        }
        if (rows.isEmpty()) {
            return Optional.of(new Verdict(Verdict.NO_RATE_FOUND, "the agent reported no rfc2544 results"));
        }
        List<String> none = rows.stream().filter(r -> r.getNdrMpps() == null && r.getPdrMpps() == null)
                .map(r -> r.getFrameSize() + (r.getError() == null ? "" : " (" + r.getError() + ")")).toList();
        return none.isEmpty() ? Optional.empty()
                : Optional.of(new Verdict(Verdict.NO_RATE_FOUND, "no rate met the PDR loss ratio for frame size(s) " + String.join(", ", none)));
    }

    @Override
    public String summary(TrafficTestSpec spec, List<PairResult> results, List<Trial> trials, Double foundRate) {
        return summary(spec, results, trials, foundRate, null, List.of());
    }

    @Override
    public String summary(TrafficTestSpec spec, List<PairResult> results, List<Trial> trials, Double foundRate, EchoTotals totals,
                          List<Rfc2544Row> rows) {
        if (rows.isEmpty()) {
            return "Results: no rfc2544 results";
        }
        return "Results: " + rows.stream().map(r -> r.getFrameSize() + (Rfc2544Spec.IMIX.equals(r.getFrameSize()) ? "" : " B") + ": NDR " + mpps(r.getNdrMpps()) + " PDR " + mpps(r.getPdrMpps()))
                .collect(Collectors.joining("; "));
    }

    private static String mpps(Double m) {
        return m == null ? "none" : String.format(Locale.ROOT, "%.4f Mpps", m);
    }

    private static String number(double d) {
        return io.nfvlab.api.traffic.TrafficSummary.number(d);
    }
}
