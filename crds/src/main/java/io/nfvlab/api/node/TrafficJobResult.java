package io.nfvlab.api.node;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.Trial;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

import java.util.List;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class TrafficJobResult {
    /** A job's phase as the agent reports it; pass criteria are judged by the operator, not here. */
    public enum JobPhase {
        @JsonProperty("Running") RUNNING,
        /** the traffic ran */
        @JsonProperty("Succeeded") SUCCEEDED,
        /** it could not run */
        @JsonProperty("Failed") FAILED
    }

    @JsonPropertyDescription("The job id (spec.trafficJobs[].id).")
    private String id;
    @JsonPropertyDescription("The run this result belongs to.")
    private String runKey;
    @JsonPropertyDescription("Running, Succeeded (the traffic ran) or Failed (it could not run); the operator judges pass criteria.")
    private JobPhase phase;
    @JsonPropertyDescription("When the run started (RFC 3339).")
    private String startTime;
    @JsonPropertyDescription("When the run ended (RFC 3339).")
    private String completionTime;
    @JsonPropertyDescription("Why the job failed, or what it is doing.")
    private String message;
    @JsonPropertyDescription("Pairs the job ran; results lists at most a few of them, those with loss or errors first.")
    private Long pairCount;
    @JsonPropertyDescription("Echoes sent over all the job's pairs (ping types).")
    private Long sent;
    @JsonPropertyDescription("Echoes received over all the job's pairs (ping types).")
    private Long received;
    @JsonPropertyDescription("Pairs with loss or an error.")
    private Long troubledPairs;
    @JsonPropertyDescription("The measurements of at most a few pairs, those with loss or errors first.")
    private List<PairResult> results;
    @JsonPropertyDescription("throughput-search: every trial in order.")
    private List<Trial> trials;
    @JsonPropertyDescription("throughput-search: the highest rate that met the loss threshold.")
    private Double foundRate;
    @JsonPropertyDescription("rfc2544: one row per frame size.")
    private List<io.nfvlab.api.traffic.Rfc2544Row> rfc2544;
}
