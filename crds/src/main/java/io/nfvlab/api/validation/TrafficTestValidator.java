package io.nfvlab.api.validation;

import io.nfvlab.api.traffic.PassCriteria;
import io.nfvlab.api.traffic.SearchSpec;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.kinds.TrafficKind;
import io.nfvlab.api.traffic.kinds.TrafficKinds;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the TrafficTest schema and its CEL rules cannot say: the checks every type shares, and those its kind
 * ({@link TrafficKind}) states (where it runs, which sections and pass criteria apply). {@link #validate(TrafficTestSpec)} needs the spec only;
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
            v.add(new Violation("spec.type", "is required: " + namesOf(k -> true, "or")));
            return v;
        }
        TrafficKind kind = TrafficKinds.of(type);
        kind.validateTarget(spec, (field, message) -> v.add(new Violation(field, message)));
        if (spec.getSource() != null && spec.getSource().equals(spec.getDestination())) {
            v.add(new Violation("spec.destination", "must differ from spec.source (" + spec.getSource() + ")"));
        }
        if (spec.getCount() != null && echoSeconds(spec.getCount(), spec.getIntervalSec()) > TrafficTestSpec.MAX_ECHO_SECONDS) {
            v.add(new Violation("spec.count", TrafficTestSpec.ECHO_TIME_MESSAGE + ", got " + spec.getCount() + " × "
                    + (spec.getIntervalSec() == null ? TrafficTestSpec.DEFAULT_INTERVAL_SEC : spec.getIntervalSec())));
        }
        if (spec.getBandwidthMbps() != null && spec.getBandwidthMbps() <= 0) {
            v.add(new Violation("spec.bandwidthMbps", "must be greater than 0"));
        }
        if (spec.getHosts() != null && !kind.takesHosts()) {
            v.add(new Violation("spec.hosts", "applies to " + namesOf(TrafficKind::takesHosts, "and") + " only"));
        }
        if (spec.getHosts() != null && Set.copyOf(spec.getHosts()).size() != spec.getHosts().size()) {
            v.add(new Violation("spec.hosts", "names a host twice"));
        }
        if (spec.getRetry() != null) {
            Integer attempts = spec.getRetry().getAttempts();
            if (attempts == null || attempts < 1 || attempts > 100) {
                v.add(new Violation("spec.retry.attempts", "must be 1..100 (attempts in all), got " + attempts));
            }
            Integer delay = spec.getRetry().getDelaySeconds();
            if (delay != null && (delay < 0 || delay > 300)) {
                v.add(new Violation("spec.retry.delaySeconds", "must be 0..300, got " + delay));
            }
        }
        SearchSpec search = spec.getSearch();
        if (search != null) {
            if (!kind.takesSearch()) {
                v.add(new Violation("spec.search", "applies to " + namesOf(TrafficKind::takesSearch, "and") + " only"));
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
        if (spec.getRfc2544() != null && type != TrafficType.RFC2544) {
            v.add(new Violation("spec.rfc2544", "applies to rfc2544 only"));
        }
        PassCriteria pass = spec.getPassCriteria();
        if (pass != null) {
            for (TrafficKind.Criterion c : TrafficKind.Criterion.values()) {
                if (isSet(pass, c) && !kind.criteria().contains(c)) {
                    String refusal = kind.refusal(c);
                    v.add(new Violation("spec.passCriteria." + c.field(), refusal != null ? refusal
                            : "applies to " + namesOf(k -> k.criteria().contains(c), "and") + ", not " + type.wireName()));
                }
            }
        }
        return v;
    }

    /** How long a ping job of these parameters echoes, in seconds: count × interval (the default when unset). */
    public static double echoSeconds(int count, Double intervalSec) {
        return count * (intervalSec == null ? TrafficTestSpec.DEFAULT_INTERVAL_SEC : intervalSec);
    }

    /** The vhostUser hosts the test attaches to (testpmd.hosts, or rfc2544's generator and device under test) against those the topology has. */
    public static List<Violation> validateTestpmdHosts(TrafficTestSpec spec, List<String> vhostUserHosts) {
        List<Violation> v = new ArrayList<>();
        for (TrafficKind.VhostUserHost h : TrafficKinds.of(spec.getType()).vhostUserHosts(spec)) {
            if (!vhostUserHosts.contains(h.host())) {
                v.add(new Violation(h.field(), "\"" + h.host() + "\" is not a vhostUser host of the topology"
                        + (vhostUserHosts.isEmpty() ? " (it has none)" : " (it has " + String.join(", ", vhostUserHosts) + ")")));
            }
        }
        return v;
    }

    /** The test against the hosts of its topology (names in Mininet's order). */
    public static List<Violation> validateAgainst(TrafficTestSpec spec, List<String> hosts) {
        List<Violation> v = new ArrayList<>();
        TrafficType type = spec.getType();
        if (TrafficKinds.of(type).placement(spec) != TrafficKind.Placement.TOPOLOGY_HOSTS) {
            return v;
        }
        int needed = 2;
        if (hosts.size() < needed) {
            v.add(new Violation("spec.topologyRef", "the topology has " + hosts.size() + " host(s); " + type.wireName() + " needs at least 2"));
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

    private static boolean isSet(PassCriteria pass, TrafficKind.Criterion c) {
        return switch (c) {
            case MIN_THROUGHPUT -> pass.getMinThroughputMbps() != null;
            case MAX_RTT -> pass.getMaxRttMs() != null;
            case MIN_MPPS -> pass.getMinMpps() != null;
            case MAX_LOSS -> pass.getMaxLossPercent() != null;
        };
    }

    /** "a, b and c": the kinds for which {@code which} holds, by name. */
    private static String namesOf(Predicate<TrafficKind> which, String conjunction) {
        List<String> names = TrafficKinds.all().stream().filter(which).map(TrafficKind::name).toList();
        return names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " " + conjunction + " " + names.get(names.size() - 1);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
