package io.nfvlab.api.traffic;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class PassCriteria {
    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Highest loss in percent any pair may show.")
    private Double maxLossPercent;

    @Min(0)
    @JsonPropertyDescription("Lowest throughput in Mbit/s any pair must reach (iperf types, throughput-search).")
    private Double minThroughputMbps;

    @Min(0)
    @JsonPropertyDescription("Highest average round-trip time in milliseconds (ping types).")
    private Double maxRttMs;

    @Min(0)
    @JsonPropertyDescription("Lowest packet rate in Mpps per direction (testpmd).")
    private Double minMpps;
}
