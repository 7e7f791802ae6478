package io.nfvlab.api.traffic;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * Runs a failed test again, for what needs time after the topology is Ready (a routing protocol converging). Every
 * attempt runs in full; the status names the attempt that decided ("passed on attempt 4 of 30").
 */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class RetrySpec {
    public static final int DEFAULT_DELAY_SECONDS = 2;

    @Required
    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Attempts in all, the first included; the test fails when the last one fails.")
    private Integer attempts;

    @Min(0)
    @Max(300)
    @JsonPropertyDescription("Seconds between a failed attempt and the next; default 2.")
    private Integer delaySeconds;

    public int delayOrDefault() {
        return delaySeconds == null ? DEFAULT_DELAY_SECONDS : delaySeconds;
    }
}
