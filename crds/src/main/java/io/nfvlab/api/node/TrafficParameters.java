package io.nfvlab.api.node;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.nfvlab.api.traffic.SearchSpec;
import io.nfvlab.api.traffic.TestpmdSpec;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * What the agent needs to run one kind of traffic, copied from the test by its kind
 * ({@code TrafficKind.parameters} in api.traffic.kinds): only the fields that kind uses are set. Where the test
 * runs, its pass criteria and its schedule stay with the operator. Unset fields take the agent's defaults, which are
 * the ones the TrafficTest's descriptions state.
 */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
@ValidationRule(value = TrafficTestSpec.ECHO_TIME_RULE, fieldPath = ".count", message = TrafficTestSpec.ECHO_TIME_MESSAGE)
public class TrafficParameters {
    @JsonPropertyDescription("Echo requests per pair (ping types).")
    private Integer count;
    @JsonPropertyDescription("Seconds between echo requests (ping types).")
    private Double intervalSec;
    @JsonPropertyDescription("Seconds of traffic (iperf types, testpmd).")
    private Integer durationSeconds;
    @JsonPropertyDescription("Target rate in Mbit/s (iperfudp).")
    private Double bandwidthMbps;
    @JsonPropertyDescription("Payload or frame size in bytes.")
    private Integer packetSize;
    @JsonPropertyDescription("Parallel streams (iperf).")
    private Integer parallel;
    @JsonPropertyDescription("The search settings (throughput-search).")
    private SearchSpec search;
    @JsonPropertyDescription("The rfc2544 settings, with the line rate resolved by the operator (rfc2544).")
    private io.nfvlab.api.traffic.Rfc2544Spec rfc2544;
    @JsonPropertyDescription("The ports and testpmd settings (testpmd); hosts are resolved to ports by the operator.")
    private TestpmdSpec testpmd;
}
