package io.nfvlab.api.node;

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

    private String id;
    private String runKey;
    private JobPhase phase;
    private String startTime;
    private String completionTime;
    private String message;
    @JsonPropertyDescription("Pairs the job ran; results lists at most a few of them, those with loss or errors first.")
    private Long pairCount;
    @JsonPropertyDescription("Echoes sent over all the job's pairs (ping types).")
    private Long sent;
    @JsonPropertyDescription("Echoes received over all the job's pairs (ping types).")
    private Long received;
    @JsonPropertyDescription("Pairs with loss or an error.")
    private Long troubledPairs;
    private List<PairResult> results;
    private List<Trial> trials;
    private Double foundRate;
}
