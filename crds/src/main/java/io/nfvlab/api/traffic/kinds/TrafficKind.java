package io.nfvlab.api.traffic.kinds;

import io.nfvlab.api.node.Tool;
import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.Rfc2544Row;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.Trial;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * One kind of traffic test and everything the operator, the agent and the CLI need to know about it: what it
 * accepts in the spec, which host pairs it runs between, whether destinations need servers, which programs it runs,
 * the parameters its jobs carry, how its results are judged against the pass criteria and the summary line. Pure.
 *
 * <p>Sealed so that each module's per-kind dispatch (the agent's runner, the CLI's printer) is an exhaustive switch:
 * a new kind does not compile until each has its case. {@link TrafficKinds} maps each {@link TrafficType} to its kind.
 */
public abstract sealed class TrafficKind
        permits PingFamily, IperfFamily, TestpmdKind, Rfc2544Kind {

    /** Where a test of this kind runs. */
    public enum Placement {
        /** in the network namespaces of a topology's hosts, from the node of each pair's source */
        TOPOLOGY_HOSTS,
        /** one process on the node of a topology's vhostUser hosts, attached to their ports */
        VHOST_USER_HOSTS,
        /** one process on a node where a DpdkBridge is up, attached to its ports */
        BRIDGE_PORTS
    }

    /** The pass criteria, in the order they are judged and reported. */
    public enum Criterion {
        MIN_THROUGHPUT("minThroughputMbps"),
        MAX_RTT("maxRttMs"),
        MIN_MPPS("minMpps"),
        MAX_LOSS("maxLossPercent");

        private final String field;

        Criterion(String field) {
            this.field = field;
        }

        /** The field under spec.passCriteria. */
        public String field() {
            return field;
        }
    }

    /** The name users know the kind by (an alias type, such as rfc2544, shares its kind). */
    public abstract TrafficType type();

    public String name() {
        return type().wireName();
    }

    public Placement placement(TrafficTestSpec spec) {
        return Placement.TOPOLOGY_HOSTS;
    }

    /**
     * What this kind requires of where the test runs, beyond the schema, as (field, message). By default a topology:
     * the kind runs in its hosts.
     */
    public void validateTarget(TrafficTestSpec spec, BiConsumer<String, String> violation) {
        if (spec.getTopologyRef() == null || blank(spec.getTopologyRef().getName())) {
            violation.accept("spec.topologyRef.name", "is required for type " + name());
        }
    }

    /**
     * The hosts of an all-pairs test (every one towards every other), when this kind is one: its jobs then carry
     * hosts rather than pairs, so that the plan grows with the hosts, not with their square. Empty for other kinds.
     */
    public Optional<List<String>> allPairsOf(TrafficTestSpec spec, List<String> hosts) {
        return Optional.empty();
    }

    /** Whether spec.hosts (a subset of the topology's hosts) applies. */
    public boolean takesHosts() {
        return false;
    }

    /** Whether spec.search applies. */
    public boolean takesSearch() {
        return false;
    }

    /** The pass criteria this kind judges. */
    public abstract Set<Criterion> criteria();

    /** Why a criterion does not apply, when "applies to …" would not say it well; null for the default message. */
    public String refusal(Criterion criterion) {
        return null;
    }

    /** Mininet's ordered (source, destination) pairs over the topology's hosts in Mininet's order (at least 2). */
    public abstract List<HostPair> pairs(TrafficTestSpec spec, List<String> hosts);

    /** Whether a destination on another node than its source needs a server job there. */
    public boolean needsServers() {
        return false;
    }

    /** What the agent's job for this kind carries: only the fields the kind uses. */
    public abstract TrafficParameters parameters(TrafficTestSpec spec);

    /** The programs a job of this kind runs (each needs to be installed on the node). */
    public abstract Set<Tool> tools(TrafficParameters parameters);

    /** The first failed check of the results against the test's pass criteria (and the kind's own rules), if any. */
    public abstract Optional<Verdict> judge(TrafficTestSpec spec, List<PairResult> results, Double foundRate);

    /** Mininet's summary line for ping kinds; a comparable one-liner for the others. */
    public abstract String summary(TrafficTestSpec spec, List<PairResult> results, List<Trial> trials, Double foundRate);

    /** Echo counts over all of a test's pairs, when agents sent totals beside a capped list of pairs. */
    public record EchoTotals(long sent, long received) {
    }

    /**
     * The summary when {@code totals} (null when no agent sent any) count pairs that {@code results} does not list: by
     * default that of the listed pairs.
     */
    public String summary(TrafficTestSpec spec, List<PairResult> results, List<Trial> trials, Double foundRate, EchoTotals totals) {
        return summary(spec, results, trials, foundRate);
    }

    /** A vhostUser host a test attaches to, with the field that names it. */
    public record VhostUserHost(String field, String host) {
    }

    /** The vhostUser hosts of a test placed on them, in attachment order: by default spec.testpmd.hosts. */
    public List<VhostUserHost> vhostUserHosts(TrafficTestSpec spec) {
        List<String> hosts = spec.getTestpmd() == null || spec.getTestpmd().getHosts() == null ? List.of() : spec.getTestpmd().getHosts();
        return java.util.stream.IntStream.range(0, hosts.size())
                .mapToObj(i -> new VhostUserHost("spec.testpmd.hosts[" + i + "]", hosts.get(i))).toList();
    }

    /**
     * The test on the topology it runs on ({@code graph} expands it on demand): what the kind takes from the topology
     * (rfc2544: the line rate of a shaped link), and what does not fit it, as (field, message). By default the test as
     * it is.
     */
    public TrafficTestSpec onTopology(TrafficTestSpec spec, java.util.function.Supplier<io.nfvlab.api.expansion.TopologyGraph> graph,
                                      BiConsumer<String, String> violation) {
        return spec;
    }

    /** The test with its vhostUser hosts resolved to their ports, which the agent attaches to: by default as spec.testpmd.ports. */
    public TrafficTestSpec onVhostUserPorts(TrafficTestSpec spec, List<String> ports) {
        return spec.toBuilder().testpmd(spec.getTestpmd().toBuilder().hosts(null).ports(ports).build()).build();
    }

    /** The verdict when the agents also reported rfc2544 rows (only rfc2544 does): by default the one without them. */
    public Optional<Verdict> judge(TrafficTestSpec spec, List<PairResult> results, Double foundRate, List<Rfc2544Row> rows) {
        return judge(spec, results, foundRate);
    }

    /** The summary when the agents also reported rfc2544 rows: by default the one without them. */
    public String summary(TrafficTestSpec spec, List<PairResult> results, List<Trial> trials, Double foundRate, EchoTotals totals,
                          List<Rfc2544Row> rows) {
        return summary(spec, results, trials, foundRate, totals);
    }

    @Override
    public String toString() {
        return name();
    }

    static String or(String value, String fallback) {
        return value == null ? fallback : value;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
