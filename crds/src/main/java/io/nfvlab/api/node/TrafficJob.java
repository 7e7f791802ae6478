package io.nfvlab.api.node;

import io.nfvlab.api.traffic.TrafficTestSpec;
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
    /** Stable id within the node state. */
    private String id;
    /** Changes for every run (generation, runId and interval count); a new runKey runs the job again. */
    private String runKey;
    /** client: run the traffic and measure; server: keep iperf3 servers up in these hosts for peers on other nodes. */
    private String role;
    /** iperf3 port, the same on the client and the server role (chosen by the operator per test). */
    private Integer port;
    /** The test as the user wrote it (type, count, duration, …). */
    private TrafficTestSpec test;
    @Singular
    private List<JobPair> pairs;

    public List<JobPair> pairsOrEmpty() {
        return pairs == null ? List.of() : pairs;
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
