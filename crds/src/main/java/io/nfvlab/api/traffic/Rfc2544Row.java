package io.nfvlab.api.traffic;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

import java.util.List;

/** One frame size of an rfc2544 run: a row of the table NFVbench prints. */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class Rfc2544Row {
    @JsonPropertyDescription("Frame size in bytes, or IMIX.")
    private String frameSize;
    @JsonPropertyDescription("Highest rate with at most ndrLossPercent loss (verified by the final trial), million frames/s; unset when none passed.")
    private Double ndrMpps;
    @JsonPropertyDescription("The NDR in Gbit/s on the wire (frame + preamble + inter-frame gap).")
    private Double ndrGbps;
    @JsonPropertyDescription("The NDR in percent of line rate.")
    private Double ndrPercent;
    @JsonPropertyDescription("Highest rate with at most pdrLossPercent loss, million frames/s; unset when none passed.")
    private Double pdrMpps;
    @JsonPropertyDescription("The PDR in Gbit/s on the wire.")
    private Double pdrGbps;
    @JsonPropertyDescription("The PDR in percent of line rate.")
    private Double pdrPercent;
    @JsonPropertyDescription("Loss measured in the PDR's final trial, percent.")
    private Double pdrLossPercent;
    @JsonPropertyDescription("Trials run for this frame size.")
    private Integer trials;
    @JsonPropertyDescription("Latency at 10, 50 and 90 % of the NDR (DPDK path).")
    private List<LatencyAt> latency;
    @JsonPropertyDescription("Back-to-back: the longest burst at line rate forwarded without loss, frames.")
    private Long backToBackFrames;
    @JsonPropertyDescription("Frame-loss rate at 10 … 100 % of line rate.")
    private List<LossAt> lossCurve;
    @JsonPropertyDescription("Why this frame size has no (or partial) results.")
    private String error;

    /** Latency of the frames of one trial at a share of the NDR. */
    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class LatencyAt {
        @JsonPropertyDescription("Offered load in percent of the NDR.")
        private Integer ndrPercent;
        @JsonPropertyDescription("Minimum one-way-and-back latency, µs.")
        private Double minUs;
        @JsonPropertyDescription("Average latency, µs.")
        private Double avgUs;
        @JsonPropertyDescription("Maximum latency, µs.")
        private Double maxUs;
        @JsonPropertyDescription("Median latency, µs.")
        private Double p50Us;
        @JsonPropertyDescription("99th percentile latency, µs.")
        private Double p99Us;
    }

    /** Loss at one offered load. */
    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class LossAt {
        @JsonPropertyDescription("Offered load in percent of line rate.")
        private Integer linePercent;
        @JsonPropertyDescription("Frames lost, percent.")
        private Double lossPercent;
        @JsonPropertyDescription("The load the generator achieved, percent of line, when below the load asked (it could not offer more).")
        private Double achievedPercent;
    }
}
