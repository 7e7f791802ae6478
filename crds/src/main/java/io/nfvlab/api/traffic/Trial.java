package io.nfvlab.api.traffic;

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
    private Double rate;
    private Double measuredRate;
    private Double lossPercent;
    private Boolean passed;
}
