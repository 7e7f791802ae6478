package io.nfvlab.api.node;

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
    private String id;
    /** Changes for every run (generation, runId and interval count); a new runKey runs the job again. */
    private String runKey;
    private Role role;
    /** iperf3 port, the same on the client and the server role (chosen by the operator per test). */
    private Integer port;
    /** The test's type: the agent runs it with that kind's runner. */
    private TrafficType type;
    /** The parameters of that kind, as its kind copied them from the test. */
    private TrafficParameters parameters;
    @Singular
    private List<JobPair> pairs;
    /**
     * The agent kills the job this many seconds after it started it and reports it Failed (servers: stopped). The
     * test's timeoutSeconds; null: no limit of its own.
     */
    private Integer timeoutSeconds;

    public List<JobPair> pairsOrEmpty() {
        return pairs == null ? List.of() : pairs;
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
        private String source;
        private String sourceNetns;
        private String destination;
        /** The destination's address (without prefix length). */
        private String destinationAddress;
        /** Set when the destination is on this node (the agent then starts the iperf3 server itself). */
        private String destinationNetns;
    }
}
