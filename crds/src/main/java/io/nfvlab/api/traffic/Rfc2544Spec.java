package io.nfvlab.api.traffic;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

import java.util.List;

/**
 * rfc2544: throughput (NDR and PDR found by one search that shares its trials), latency at fractions of the NDR,
 * back-to-back and a frame-loss curve, per frame size. Rates are in percent of the line rate, as RFC 2544 states them.
 */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
@ValidationRule(value = "(has(self.minRatePercent) ? self.minRatePercent : 1.0) < (has(self.maxRatePercent) ? self.maxRatePercent : 100.0)",
        fieldPath = ".minRatePercent", message = "minRatePercent must be below maxRatePercent (default 100)")
@ValidationRule(value = "(has(self.ndrLossPercent) ? self.ndrLossPercent : 0.0) < (has(self.pdrLossPercent) ? self.pdrLossPercent : 0.1)",
        fieldPath = ".pdrLossPercent", message = "pdrLossPercent must be above ndrLossPercent (default 0)")
public class Rfc2544Spec {
    public static final List<String> DEFAULT_FRAME_SIZES = List.of("64", "128", "256", "512", "1024", "1280", "1518", "IMIX");
    public static final String IMIX = "IMIX";
    public static final double DEFAULT_MIN_PERCENT = 1;
    public static final double DEFAULT_MAX_PERCENT = 100;
    public static final double DEFAULT_PDR_LOSS_PERCENT = 0.1;
    public static final double DEFAULT_LINE_RATE_GBPS_VHOST_USER = 10;

    @Size(min = 1, max = 16)
    @JsonPropertyDescription("Frame sizes in bytes including the FCS (64 up to the link's MTU + 18), or IMIX (7×64, 4×570, 1×1518); "
            + "default 64, 128, 256, 512, 1024, 1280, 1518 and (DPDK path only) IMIX.")
    private List<String> frameSizes;

    @Min(0.000001)
    @Max(400)
    @JsonPropertyDescription("Line rate in Gbit/s (with preamble and inter-frame gap, as RFC 2544 counts it): default 10 on the DPDK "
            + "path; on the kernel path the bandwidth of the slowest shaped link of the two hosts (required when neither is shaped).")
    private Double lineRateGbps;

    @Min(0.0001)
    @Max(100)
    @JsonPropertyDescription("Lowest rate the search tries, percent of line rate; default 1.")
    private Double minRatePercent;

    @Min(0.0001)
    @Max(100)
    @JsonPropertyDescription("Highest rate the search tries, percent of line rate (at most 100); default 100.")
    private Double maxRatePercent;

    @Min(0.01)
    @Max(50)
    @JsonPropertyDescription("Stop narrowing when the interval between a passing and a failing rate is below this percent of maxRatePercent; default 2.")
    private Double precisionPercent;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("NDR loss ratio in percent; default 0 (no frame lost).")
    private Double ndrLossPercent;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("PDR loss ratio in percent (found by the same search as the NDR); default 0.1.")
    private Double pdrLossPercent;

    @Min(1)
    @Max(60)
    @JsonPropertyDescription("Seconds per search trial (short, while narrowing); default 1.")
    private Integer trialSeconds;

    @Min(1)
    @Max(600)
    @JsonPropertyDescription("Seconds of the final verification trial at each found rate (a failed one resumes the search below it "
            + "with trials of this length); default 5.")
    private Integer finalTrialSeconds;

    @Min(1)
    @Max(10)
    @JsonPropertyDescription("Times the final verification trial runs; every one must pass; default 1.")
    private Integer repeats;

    @Min(2)
    @Max(100)
    @JsonPropertyDescription("Upper bound on the trials of the NDR/PDR search per frame size, final trials included; default 20.")
    private Integer maxTrials;

    @JsonPropertyDescription("Measure latency at 10, 50 and 90 % of the NDR found: default true on the DPDK path; the kernel path "
            + "cannot (iperf3 times no frames) and refuses true.")
    private Boolean latency;

    @JsonPropertyDescription("Back-to-back: the longest burst at line rate forwarded without loss (DPDK path); default false.")
    private Boolean backToBack;

    @JsonPropertyDescription("Frame-loss rate at 10, 20 … 100 % of line rate; default false.")
    private Boolean lossCurve;

    @JsonPropertyDescription("The DPDK path: a rate-controlled generator on one vhostUser host of the topology and testpmd as "
            + "the device under test on another. Without it the test runs iperf3 UDP between spec.source and spec.destination.")
    private Rfc2544Dpdk dpdk;
}
