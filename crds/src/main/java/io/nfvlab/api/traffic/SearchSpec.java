package io.nfvlab.api.traffic;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/** RFC 2544-style search for the highest rate whose loss stays within a threshold. */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class SearchSpec {
    @JsonPropertyDescription("Lowest rate tried, Mbit/s (iperf3) or Mpps (testpmd); default 1.")
    private Double minRate;

    @JsonPropertyDescription("Highest rate tried, Mbit/s (iperf3) or Mpps (testpmd); default 1000.")
    private Double maxRate;

    @JsonPropertyDescription("Stop when the interval between passing and failing rates is narrower than this; default 2% of maxRate.")
    private Double precision;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Loss threshold in percent: 0.001 gives the NDR (default), a larger value a PDR.")
    private Double lossThresholdPercent;

    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Upper bound on the number of trials; default 12.")
    private Integer maxTrials;

    @Min(1)
    @Max(600)
    @JsonPropertyDescription("Seconds per trial; default 2.")
    private Integer trialSeconds;

    @JsonPropertyDescription("Generator: iperf3 (default) or testpmd.")
    private String generator;
}
