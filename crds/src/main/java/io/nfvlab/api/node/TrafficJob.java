package io.nfvlab.api.node;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.nfvlab.api.traffic.TrafficType;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;
import lombok.Singular;

import java.util.List;

/** Traffic the agent runs for one TrafficTest run; results come back under the same id and runKey. */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class TrafficJob {
    /** What a node does for the test: run the traffic and measure, or serve the peers on other nodes. */
    public enum Role {
        @JsonProperty("client") CLIENT,
        /** keep servers (iperf3 -s) up in this node's destination hosts for clients on other nodes */
        @JsonProperty("server") SERVER
    }

    /** Stable id within the node state. */
    @JsonPropertyDescription("Stable id within the node state; results carry it back.")
    private String id;
    /** Changes for every run (generation, runId and interval count); a new runKey runs the job again. */
    @JsonPropertyDescription("Changes for every run (generation, runId, run number): a new runKey runs the job again.")
    private String runKey;
    @JsonPropertyDescription("client: run the traffic and measure; server: serve peers on other nodes (iperf3 -s).")
    private Role role;
    /** iperf3 port, the same on the client and the server role (chosen by the operator per test). */
    @JsonPropertyDescription("iperf3 port, the same for the client and the server role.")
    private Integer port;
    /** The test's type: the agent runs it with that kind's runner. */
    @JsonPropertyDescription("The test type; the agent runs it with that kind's runner.")
    private TrafficType type;
    /** The parameters of that kind, as its kind copied them from the test. */
    @JsonPropertyDescription("The parameters of that kind, copied from the test.")
    private TrafficParameters parameters;
    @Singular
    @JsonPropertyDescription("Source → destination pairs to run, from this node's hosts.")
    private List<JobPair> pairs;
    /**
     * The agent kills the job this many seconds after it started it and reports it Failed (servers: stopped). The
     * test's timeoutSeconds; null: no limit of its own.
     */
    @JsonPropertyDescription("The agent kills the job this many seconds after starting it and reports it Failed; the TrafficTest's timeoutSeconds. Empty: no limit of its own.")
    private Integer timeoutSeconds;
    /**
     * All-pairs form (pingall), instead of {@code pairs}: every source towards every destination but itself, sources
     * in order, each towards the destinations in order. A plan of all the pairs would grow with the square of the
     * hosts (a 10,000-host pingall has 10^8); this grows with the hosts.
     */
    @Singular
    @JsonPropertyDescription("All-pairs form (pingall), instead of pairs: the sources, each towards every destination but itself.")
    private List<JobHost> sources;
    @Singular
    @JsonPropertyDescription("All-pairs form (pingall): the destinations of every source.")
    private List<JobHost> destinations;

    public List<JobPair> pairsOrEmpty() {
        return pairs == null ? List.of() : pairs;
    }

    public List<JobHost> sourcesOrEmpty() {
        return sources == null ? List.of() : sources;
    }

    public List<JobHost> destinationsOrEmpty() {
        return destinations == null ? List.of() : destinations;
    }

    /** How many pairs the job runs, in either form. */
    public long pairCount() {
        if (!pairsOrEmpty().isEmpty()) {
            return pairsOrEmpty().size();
        }
        java.util.Set<String> destinationNames = new java.util.HashSet<>();
        destinationsOrEmpty().forEach(d -> destinationNames.add(d.getName()));
        long self = sourcesOrEmpty().stream().filter(s -> destinationNames.contains(s.getName())).count();
        return (long) sourcesOrEmpty().size() * destinationsOrEmpty().size() - self;
    }

    /** The job's pairs in either form, the all-pairs form expanded (in the agent, when the job runs). */
    public List<JobPair> expandedPairs() {
        if (!pairsOrEmpty().isEmpty() || sourcesOrEmpty().isEmpty()) {
            return pairsOrEmpty();
        }
        List<JobPair> out = new java.util.ArrayList<>();
        for (JobHost s : sourcesOrEmpty()) {
            for (JobHost d : destinationsOrEmpty()) {
                if (!s.getName().equals(d.getName())) {
                    out.add(JobPair.builder().source(s.getName()).sourceNetns(s.getNetns()).destination(d.getName())
                            .destinationAddress(d.getAddress()).destinationNetns(d.getNetns()).build());
                }
            }
        }
        return out;
    }

    /** A host of an all-pairs job. */
    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class JobHost {
        @JsonPropertyDescription("The host (h1).")
        private String name;
        /** Its namespace: set for sources, and for destinations on this node. */
        @JsonPropertyDescription("Its network namespace: set for sources, and for destinations on this node.")
        private String netns;
        /** Its address (without prefix length): set for destinations. */
        @JsonPropertyDescription("Its address, without prefix length: set for destinations.")
        private String address;
    }

    /** The parameters, never null. */
    public TrafficParameters parametersOrEmpty() {
        return parameters == null ? new TrafficParameters() : parameters;
    }

    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class JobPair {
        @JsonPropertyDescription("The source host (h1).")
        private String source;
        @JsonPropertyDescription("The source host's network namespace on this node.")
        private String sourceNetns;
        @JsonPropertyDescription("The destination host.")
        private String destination;
        /** The destination's address (without prefix length). */
        @JsonPropertyDescription("The destination's address, without prefix length.")
        private String destinationAddress;
        /** Set when the destination is on this node (the agent then starts the iperf3 server itself). */
        @JsonPropertyDescription("Set when the destination is on this node (the agent then starts the iperf3 server itself).")
        private String destinationNetns;
    }
}
