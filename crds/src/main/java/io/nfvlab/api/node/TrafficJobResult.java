package io.nfvlab.api.node;

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
    private String id;
    private String runKey;
    /** Running, Succeeded (the traffic ran; pass criteria are judged by the operator) or Failed (it could not run). */
    private String phase;
    private String startTime;
    private String completionTime;
    private String message;
    private List<PairResult> results;
    private List<Trial> trials;
    private Double foundRate;
}
