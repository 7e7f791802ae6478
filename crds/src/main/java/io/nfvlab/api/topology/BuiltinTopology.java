package io.nfvlab.api.topology;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * One of Mininet's built-in topologies, either structured ({@code type: tree, depth: 2, fanout: 3}) or in Mininet's
 * string form ({@code type: "tree,depth=2,fanout=3"}).
 */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
@ValidationRule(value = "!self.type.contains(',') || !(has(self.k) || has(self.n) || has(self.depth) || has(self.fanout) || has(self.x) || has(self.y))",
        message = "the string form of type (\"tree,depth=2\") carries its own parameters: do not also set k, n, depth, fanout, x or y")
public class BuiltinTopology {
    @Required
    // each parameter is positional ("linear,4") or named ("depth=2"), as mn --topo takes them
    @Pattern("^(minimal|single|linear|reversed|tree|torus)(,([a-z]+=)?[0-9]+)*$")
    @Size(max = 64)
    @JsonPropertyDescription("minimal, single, linear, reversed, tree or torus; or Mininet's string form such as "
            + "\"linear,4\" or \"tree,depth=2,fanout=3\".")
    private String type;

    @Min(1)
    @Max(10000)
    @JsonPropertyDescription("single/reversed: number of hosts; linear: number of switches (Mininet's k).")
    private Integer k;

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("linear: hosts per switch (Mininet's n, default 1); torus: hosts per switch.")
    private Integer n;

    @Min(1)
    @Max(10)
    @JsonPropertyDescription("tree: depth (default 1).")
    private Integer depth;

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("tree: fanout (default 2).")
    private Integer fanout;

    @Min(1)
    @Max(100)
    @JsonPropertyDescription("torus: switches along x (at least 3, as Mininet).")
    private Integer x;

    @Min(1)
    @Max(100)
    @JsonPropertyDescription("torus: switches along y (at least 3, as Mininet).")
    private Integer y;

    @JsonPropertyDescription("Make every host of the built-in this container (a template; podRef cannot be shared), e.g. every "
            + "host of tree,2,3 runs the same image. Its links are eth1, eth2, … in each container.")
    private PodHostSpec hostPod;
}
