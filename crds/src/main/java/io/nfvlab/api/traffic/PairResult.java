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
    @JsonPropertyDescription("The source host.")
    private String source;
    @JsonPropertyDescription("The destination host.")
    private String destination;
    @JsonPropertyDescription("Packets (or echo requests) sent.")
    private Long sent;
    @JsonPropertyDescription("Packets (or echo replies) received.")
    private Long received;
    @JsonPropertyDescription("Lost packets in percent.")
    private Double lossPercent;
    @JsonPropertyDescription("Minimum round-trip time, ms (ping).")
    private Double rttMinMs;
    @JsonPropertyDescription("Average round-trip time, ms (ping).")
    private Double rttAvgMs;
    @JsonPropertyDescription("Maximum round-trip time, ms (ping).")
    private Double rttMaxMs;
    @JsonPropertyDescription("Round-trip time deviation, ms (ping).")
    private Double rttMdevMs;
    @JsonPropertyDescription("Throughput in bits per second (iperf, iperfudp).")
    private Double bitsPerSecond;
    @JsonPropertyDescription("TCP retransmissions (iperf).")
    private Long retransmits;
    @JsonPropertyDescription("Jitter, ms (iperfudp).")
    private Double jitterMs;
    @JsonPropertyDescription("testpmd: transmitted and received packets per second, in millions.")
    private Double txMpps;
    @JsonPropertyDescription("Received rate in million packets per second (testpmd).")
    private Double rxMpps;
    @JsonPropertyDescription("How long the traffic ran, seconds.")
    private Double durationSeconds;
    @JsonPropertyDescription("Why this pair has no measurement.")
    private String error;
}
