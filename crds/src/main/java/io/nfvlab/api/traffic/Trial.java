package io.nfvlab.api.traffic;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/** One trial of a throughput search. */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class Trial {
    @JsonPropertyDescription("The offered rate, Mbit/s (iperf3) or Mpps (testpmd).")
    private Double rate;
    @JsonPropertyDescription("The rate measured at the receiver, in the same unit.")
    private Double measuredRate;
    @JsonPropertyDescription("Lost packets in percent.")
    private Double lossPercent;
    @JsonPropertyDescription("True when the loss met the search's threshold.")
    private Boolean passed;
}
