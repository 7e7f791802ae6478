package io.nfvlab.api.bridge;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

import java.util.List;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class FlowSpec {
    public enum Mode {
        @JsonProperty("normal") NORMAL,
        @JsonProperty("port-pairs") PORT_PAIRS
    }

    @JsonPropertyDescription("normal (default): one NORMAL rule; port-pairs: in_port=a → output:b and back for each pair.")
    private Mode mode;

    @JsonPropertyDescription("port-pairs: pairs of port names.")
    private List<PortPair> pairs;

    @Data
    @Builder
    @NoArgsConstructor
    @AllArgsConstructor
    public static class PortPair {
        @JsonPropertyDescription("Port name: packets in on a go out on b.")
        private String a;
        @JsonPropertyDescription("Port name: packets in on b go out on a.")
        private String b;
    }
}
