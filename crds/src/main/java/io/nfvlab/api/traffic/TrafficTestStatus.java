package io.nfvlab.api.traffic;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.nfvlab.api.common.ConditionSchema;
import io.nfvlab.api.crdgen.schema.JsonMergePatch;
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
@SchemaCustomizer(value = JsonMergePatch.class, input = ConditionSchema.PATCH)
public class TrafficTestStatus {
    public enum Phase {
        @JsonProperty("Pending") PENDING,
        @JsonProperty("Running") RUNNING,
        @JsonProperty("Succeeded") SUCCEEDED,
        @JsonProperty("Failed") FAILED
    }

    @JsonPropertyDescription("The spec generation this status describes.")
    private Long observedGeneration;
    @JsonPropertyDescription("The runId the current results belong to.")
    private String observedRunId;
    @JsonPropertyDescription("Key of the current run (generation, runId and run number); the node states' jobs carry the same key.")
    private String runKey;
    @JsonPropertyDescription("Pending, Running, Succeeded or Failed.")
    private Phase phase;
    @JsonPropertyDescription("When the current run started (RFC 3339).")
    private String startTime;
    @JsonPropertyDescription("When the current run ended (RFC 3339).")
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
    @JsonPropertyDescription("Per-pair results of the current run (at most 512: those with loss or errors first).")
    private List<PairResult> results;
    @JsonPropertyDescription("throughput-search: every trial in order.")
    private List<Trial> trials;
    @JsonPropertyDescription("throughput-search: the highest rate that met the loss threshold.")
    private Double foundRate;
    @JsonPropertyDescription("rfc2544: one row per frame size (NDR, PDR, latency, back-to-back, loss curve).")
    private List<Rfc2544Row> rfc2544;
    @Builder.Default
    @JsonPropertyDescription("Ready (True only for a run that passed), Completed, Passed, Reconciling and Stalled.")
    private List<Condition> conditions = new ArrayList<>();
}
