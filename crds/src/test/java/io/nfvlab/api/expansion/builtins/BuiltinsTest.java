package io.nfvlab.api.expansion.builtins;

import io.fabric8.generator.annotation.Pattern;
import io.nfvlab.api.topology.BuiltinTopology;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BuiltinsTest {
    @Test
    void theSchemaPatternNamesExactlyTheRegisteredBuiltins() throws NoSuchFieldException {
        String pattern = BuiltinTopology.class.getDeclaredField("type").getAnnotation(Pattern.class).value();
        for (String name : Builtins.names()) {
            assertThat(name).matches(pattern);
        }
        assertThat("ring").doesNotMatch(pattern);
        String alternatives = pattern.substring(pattern.indexOf('(') + 1, pattern.indexOf(')'));
        assertThat(alternatives.split("\\|")).containsExactlyInAnyOrderElementsOf(Builtins.names());
    }

    @Test
    void everyParameterOfEveryBuiltinIsASchemaFieldWithAMaximum() {
        for (BuiltinTopo topo : Builtins.names().stream().map(n -> Builtins.byName(n).orElseThrow()).toList()) {
            for (Parameter p : topo.parameters()) {
                assertThat(io.nfvlab.api.expansion.BuiltinSpec.maximum(p.name())).as(topo.name() + "." + p.name())
                        .isGreaterThanOrEqualTo(p.defaultValue());
            }
        }
    }

    @Test
    void argumentsNotGivenTakeTheBuiltinsDefaults() {
        BuiltinTopo linear = Builtins.byName("linear").orElseThrow();
        assertThat(linear.size(new Args(linear, Map.of("k", 4)))).isEqualTo(new Size(4, 4, 7));
    }
}
