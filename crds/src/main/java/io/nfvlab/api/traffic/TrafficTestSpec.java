package io.nfvlab.api.traffic;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.nfvlab.api.common.ObjectRef;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

import java.util.List;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
@ValidationRule(value = "self.type == 'testpmd' || has(self.topologyRef)", message = "topologyRef is required for every type but testpmd")
@ValidationRule(value = "self.type != 'testpmd' || has(self.testpmd)", message = "type testpmd needs the testpmd section")
// an unset count is at most 10 (ping's default), and 10 × the longest interval is well inside the bound
@ValidationRule(value = TrafficTestSpec.ECHO_TIME_RULE, fieldPath = ".count", message = TrafficTestSpec.ECHO_TIME_MESSAGE)
public class TrafficTestSpec {
    /** Seconds between echo requests when intervalSec is unset (the agent's default, as the description says). */
    public static final double DEFAULT_INTERVAL_SEC = 0.2;
    /** Longest a ping job may echo: count × intervalSec, in seconds. */
    public static final int MAX_ECHO_SECONDS = 3600;
    /** The CEL rule bounding count × intervalSec, on the test's spec and on a job's parameters alike. */
    public static final String ECHO_TIME_RULE = "!has(self.count) || double(self.count) * (has(self.intervalSec) ? self.intervalSec : "
            + DEFAULT_INTERVAL_SEC + ") <= " + MAX_ECHO_SECONDS + ".0";
    public static final String ECHO_TIME_MESSAGE = "count × intervalSec (default " + DEFAULT_INTERVAL_SEC
            + ") must be at most " + MAX_ECHO_SECONDS + " seconds (one hour of echoes per pair)";

    @JsonPropertyDescription("The VirtualTopology (same namespace) whose hosts run the test.")
    private ObjectRef topologyRef;

    @Required
    @JsonPropertyDescription("ping, pingpair, pingall, iperf, iperfudp, testpmd, throughput-search, rfc2544.")
    private TrafficType type;

    @JsonPropertyDescription("Source host (ping, iperf, iperfudp, throughput-search); default the first host, as Mininet.")
    private String source;

    @JsonPropertyDescription("Destination host; default the last host (iperf) or the second host (ping), as Mininet.")
    private String destination;

    @JsonPropertyDescription("pingall: restrict to these hosts; default every host.")
    private List<String> hosts;

    @Min(1)
    @Max(100000)
    @JsonPropertyDescription("Echo requests per pair (ping types); default 1 for pingall/pingpair as Mininet, 10 for ping; "
            + "count × intervalSec at most 3600 seconds.")
    private Integer count;

    @Min(0.001)
    @Max(60)
    @JsonPropertyDescription("Seconds between echo requests (ping types); default 0.2.")
    private Double intervalSec;

    @Min(1)
    @Max(3600)
    @JsonPropertyDescription("Duration of each iperf/testpmd run in seconds; default 5.")
    private Integer durationSeconds;

    @JsonPropertyDescription("iperfudp: target rate in Mbit/s (default 10, as Mininet's iperfudp).")
    private Double bandwidthMbps;

    @Min(16)
    @Max(9000)
    @JsonPropertyDescription("Payload size in bytes (ping -s, iperf3 -l for UDP, testpmd txpkts).")
    private Integer packetSize;

    @Min(1)
    @Max(128)
    @JsonPropertyDescription("iperf: parallel streams (iperf3 -P); default 1.")
    private Integer parallel;

    @JsonPropertyDescription("throughput-search: RFC 2544 binary search settings.")
    private SearchSpec search;

    @JsonPropertyDescription("rfc2544: frame sizes, search bounds, NDR/PDR loss ratios, trial lengths, latency, back-to-back, "
            + "loss curve, and the DPDK path (generator and device under test) or the kernel path (iperf3).")
    private Rfc2544Spec rfc2544;

    @JsonPropertyDescription("testpmd: the DpdkBridge ports and testpmd settings.")
    private TestpmdSpec testpmd;

    @JsonPropertyDescription("Pass criteria; a failed criterion makes the test Failed, with a reason naming it.")
    private PassCriteria passCriteria;

    @JsonPropertyDescription("Change to run the test again without changing anything else.")
    private String runId;

    @Min(0)
    @JsonPropertyDescription("Re-run the test every this many seconds (0 or unset: run once per generation).")
    private Integer intervalSeconds;

    @JsonPropertyDescription("Run a failed test again, up to retry.attempts times in all (e.g. until OSPF has converged); "
            + "timeoutSeconds bounds all attempts together.")
    private RetrySpec retry;

    @Min(1)
    @JsonPropertyDescription("Fail the test if the topology is not Ready, or the run has not finished, within this many seconds (default 300).")
    private Integer timeoutSeconds;
}
