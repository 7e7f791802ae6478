package io.nfvlab.api.validation;

import io.nfvlab.api.traffic.PassCriteria;
import io.nfvlab.api.traffic.SearchSpec;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the TrafficTest schema and its CEL rules cannot say. {@link #validate(TrafficTestSpec)} needs the spec only;
 * {@link #validateAgainst} checks the test against the hosts of the topology it runs on.
 */
public final class TrafficTestValidator {
    private TrafficTestValidator() {
    }

    public static List<Violation> validate(TrafficTestSpec spec) {
        List<Violation> v = new ArrayList<>();
        if (spec == null) {
            v.add(new Violation("spec", "is required"));
            return v;
        }
        TrafficType type = spec.getType();
        if (type == null) {
            v.add(new Violation("spec.type", "is required: ping, pingpair, pingall, iperf, iperfudp, testpmd or throughput-search"));
            return v;
        }
        if (type == TrafficType.TESTPMD) {
            if (spec.getTestpmd() == null) {
                v.add(new Violation("spec.testpmd", "is required for type testpmd"));
            } else if (spec.getTestpmd().getHosts() != null) {
                checkTestpmdHosts(spec, v);
            } else if (blank(spec.getTestpmd().getBridgeRef())) {
                v.add(new Violation("spec.testpmd.bridgeRef", "is required for type testpmd (or testpmd.hosts with topologyRef)"));
            }
        } else if (spec.getTopologyRef() == null || blank(spec.getTopologyRef().getName())) {
            v.add(new Violation("spec.topologyRef.name", "is required for type " + typeName(type)));
        }
        if (spec.getSource() != null && spec.getSource().equals(spec.getDestination())) {
            v.add(new Violation("spec.destination", "must differ from spec.source (" + spec.getSource() + ")"));
        }
        if (spec.getBandwidthMbps() != null && spec.getBandwidthMbps() <= 0) {
            v.add(new Violation("spec.bandwidthMbps", "must be greater than 0"));
        }
        if (spec.getHosts() != null && type != TrafficType.PINGALL) {
            v.add(new Violation("spec.hosts", "applies to pingall only"));
        }
        if (spec.getHosts() != null && Set.copyOf(spec.getHosts()).size() != spec.getHosts().size()) {
            v.add(new Violation("spec.hosts", "names a host twice"));
        }
        SearchSpec search = spec.getSearch();
        if (search != null) {
            if (!isSearch(type)) {
                v.add(new Violation("spec.search", "applies to throughput-search only"));
            }
            double min = search.getMinRate() == null ? 1 : search.getMinRate();
            double max = search.getMaxRate() == null ? 1000 : search.getMaxRate();
            if (min <= 0) {
                v.add(new Violation("spec.search.minRate", "must be greater than 0"));
            }
            if (max <= min) {
                v.add(new Violation("spec.search.maxRate", "must be greater than spec.search.minRate (" + min + ")"));
            }
            if (search.getPrecision() != null && search.getPrecision() <= 0) {
                v.add(new Violation("spec.search.precision", "must be greater than 0"));
            }
            if (search.getGenerator() != null && !List.of("iperf3", "testpmd").contains(search.getGenerator())) {
                v.add(new Violation("spec.search.generator", "must be iperf3 or testpmd, not " + search.getGenerator()));
            }
        }
        PassCriteria pass = spec.getPassCriteria();
        if (pass != null) {
            if (pass.getMinThroughputMbps() != null && !(type == TrafficType.IPERF || type == TrafficType.IPERFUDP || isSearch(type))) {
                v.add(new Violation("spec.passCriteria.minThroughputMbps", "applies to iperf, iperfudp and throughput-search, not " + typeName(type)));
            }
            if (pass.getMaxRttMs() != null && !isPing(type)) {
                v.add(new Violation("spec.passCriteria.maxRttMs", "applies to ping, pingpair and pingall, not " + typeName(type)));
            }
            if (pass.getMinMpps() != null && type != TrafficType.TESTPMD) {
                v.add(new Violation("spec.passCriteria.minMpps", "applies to testpmd, not " + typeName(type)));
            }
            if (pass.getMaxLossPercent() != null && type == TrafficType.IPERF) {
                v.add(new Violation("spec.passCriteria.maxLossPercent", "iperf (TCP) reports no loss; use iperfudp"));
            }
        }
        return v;
    }

    /** The test against the hosts of its topology (names in Mininet's order). */
    /** testpmd on vhostUser hosts: one or two of them, of the topology the test names, instead of a DpdkBridge's ports. */
    private static void checkTestpmdHosts(TrafficTestSpec spec, List<Violation> v) {
        var testpmd = spec.getTestpmd();
        if (testpmd.getBridgeRef() != null || testpmd.getPorts() != null) {
            v.add(new Violation("spec.testpmd", "testpmd attaches either to a DpdkBridge's ports (bridgeRef, ports) or to a "
                    + "topology's vhostUser hosts (hosts), not both"));
        }
        if (testpmd.getHosts().isEmpty() || testpmd.getHosts().size() > 2) {
            v.add(new Violation("spec.testpmd.hosts", "one or two vhostUser hosts, got " + testpmd.getHosts().size()));
        } else if (Set.copyOf(testpmd.getHosts()).size() != testpmd.getHosts().size()) {
            v.add(new Violation("spec.testpmd.hosts", "names a host twice"));
        }
        if (spec.getTopologyRef() == null || blank(spec.getTopologyRef().getName())) {
            v.add(new Violation("spec.topologyRef.name", "is required for testpmd.hosts: the topology the hosts are in"));
        }
    }

    /** testpmd.hosts against the vhostUser hosts the topology has. */
    public static List<Violation> validateTestpmdHosts(TrafficTestSpec spec, List<String> vhostUserHosts) {
        List<Violation> v = new ArrayList<>();
        List<String> hosts = spec.getTestpmd() == null || spec.getTestpmd().getHosts() == null ? List.of() : spec.getTestpmd().getHosts();
        for (int i = 0; i < hosts.size(); i++) {
            if (!vhostUserHosts.contains(hosts.get(i))) {
                v.add(new Violation("spec.testpmd.hosts[" + i + "]", "\"" + hosts.get(i) + "\" is not a vhostUser host of the topology"
                        + (vhostUserHosts.isEmpty() ? " (it has none)" : " (it has " + String.join(", ", vhostUserHosts) + ")")));
            }
        }
        return v;
    }

    public static List<Violation> validateAgainst(TrafficTestSpec spec, List<String> hosts) {
        List<Violation> v = new ArrayList<>();
        TrafficType type = spec.getType();
        if (type == TrafficType.TESTPMD) {
            return v;
        }
        int needed = 2;
        if (hosts.size() < needed) {
            v.add(new Violation("spec.topologyRef", "the topology has " + hosts.size() + " host(s); " + typeName(type) + " needs at least 2"));
        }
        Set<String> known = new HashSet<>(hosts);
        unknown(v, "spec.source", spec.getSource(), known, hosts);
        unknown(v, "spec.destination", spec.getDestination(), known, hosts);
        if (spec.getHosts() != null) {
            for (int i = 0; i < spec.getHosts().size(); i++) {
                unknown(v, "spec.hosts[" + i + "]", spec.getHosts().get(i), known, hosts);
            }
            if (spec.getHosts().size() < 2) {
                v.add(new Violation("spec.hosts", "pingall needs at least 2 hosts"));
            }
        }
        return v;
    }

    private static void unknown(List<Violation> v, String field, String host, Set<String> known, List<String> hosts) {
        if (host != null && !known.contains(host)) {
            v.add(new Violation(field, "host " + host + " is not in the topology (hosts: " + abbreviated(hosts) + ")"));
        }
    }

    private static String abbreviated(List<String> hosts) {
        return hosts.size() <= 8 ? String.join(", ", hosts) : String.join(", ", hosts.subList(0, 8)) + ", … (" + hosts.size() + ")";
    }

    public static boolean isPing(TrafficType type) {
        return type == TrafficType.PING || type == TrafficType.PINGPAIR || type == TrafficType.PINGALL;
    }

    public static boolean isSearch(TrafficType type) {
        return type == TrafficType.THROUGHPUT_SEARCH || type == TrafficType.RFC2544;
    }

    private static String typeName(TrafficType type) {
        return type.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
