package io.nfvlab.api.traffic;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/** The measurements of one source → destination pair (fields set depend on the test type). */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class PairResult {
    private String source;
    private String destination;
    @JsonPropertyDescription("Packets (or echo requests) sent.")
    private Long sent;
    private Long received;
    private Double lossPercent;
    private Double rttMinMs;
    private Double rttAvgMs;
    private Double rttMaxMs;
    private Double rttMdevMs;
    private Double bitsPerSecond;
    private Long retransmits;
    private Double jitterMs;
    @JsonPropertyDescription("testpmd: transmitted and received packets per second, in millions.")
    private Double txMpps;
    private Double rxMpps;
    private Double durationSeconds;
    @JsonPropertyDescription("Why this pair has no measurement.")
    private String error;
}
