package io.nfvlab.api.traffic;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

import java.util.ArrayList;
import java.util.List;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class TrafficTestStatus {
    public enum Phase {
        @JsonProperty("Pending") PENDING,
        @JsonProperty("Running") RUNNING,
        @JsonProperty("Succeeded") SUCCEEDED,
        @JsonProperty("Failed") FAILED
    }

    private Long observedGeneration;
    @JsonPropertyDescription("The runId the current results belong to.")
    private String observedRunId;
    @JsonPropertyDescription("Key of the current run (generation, runId and run number); the node states' jobs carry the same key.")
    private String runKey;
    @JsonPropertyDescription("Pending, Running, Succeeded or Failed.")
    private Phase phase;
    private String startTime;
    private String completionTime;
    @JsonPropertyDescription("How many times the test has run (grows with intervalSeconds).")
    private Integer runs;
    @JsonPropertyDescription("With spec.retry: the attempt of the current run (1 for the first).")
    private Integer attempt;
    @JsonPropertyDescription("With spec.retry: when the next attempt starts (after a failed one).")
    private String nextAttemptTime;
    @JsonPropertyDescription("A Mininet-style summary, e.g. \"Results: 0% dropped (12/12 received)\".")
    private String summary;
    @JsonPropertyDescription("Why the test is Pending or Failed.")
    private String message;
    private List<PairResult> results;
    @JsonPropertyDescription("throughput-search: every trial in order.")
    private List<Trial> trials;
    @JsonPropertyDescription("throughput-search: the highest rate that met the loss threshold.")
    private Double foundRate;
    @Builder.Default
    private List<Condition> conditions = new ArrayList<>();
}
