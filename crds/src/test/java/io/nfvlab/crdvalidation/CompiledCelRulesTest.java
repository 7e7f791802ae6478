package io.nfvlab.crdvalidation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelProtoAbstractSyntaxTree;
import dev.cel.runtime.CelRuntimeFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The crds module's file of compiled rules against the CRDs of the same build (the test sits in its package). */
class CompiledCelRulesTest {
    private static final List<String> CRDS = List.of("virtualtopologies", "dpdkbridges", "traffictests", "networknodestates",
            "linkprofiles");

    private static Set<String> rulesOfTheCrds() throws IOException {
        Set<String> rules = new TreeSet<>();
        for (String plural : CRDS) {
            try (InputStream in = CompiledCelRulesTest.class.getClassLoader()
                    .getResourceAsStream("META-INF/fabric8/" + plural + ".nfvlab.io-v1.json")) {
                assertThat(in).as(plural).isNotNull();
                rules.addAll(CompiledCelRules.rulesIn(new ObjectMapper().readTree(in)));
            }
        }
        return rules;
    }

    private static Object checkedForm(CelAbstractSyntaxTree ast) {
        return CelProtoAbstractSyntaxTree.fromCelAst(ast).toCheckedExpr();
    }

    @Test
    void everyRuleOfTheCrdsIsInTheFileCheckedExactlyAsTheValidatorChecksIt() throws IOException {
        Set<String> rules = rulesOfTheCrds();
        assertThat(rules).hasSizeGreaterThan(10);
        Map<String, CelAbstractSyntaxTree> bundled = CompiledCelRules.bundled();
        assertThat(bundled.keySet()).containsExactlyInAnyOrderElementsOf(rules);
        for (String rule : rules) {
            assertThat(checkedForm(bundled.get(rule))).as(rule).isEqualTo(checkedForm(CrdSchemaValidator.checked(rule)));
        }
    }

    @Test
    void rulesReadBackGiveProgramsThatAnswerAsCompiledOnes() throws Exception {
        List<String> rules = List.of("self.size() <= 3", "self.all(x, x.startsWith('h'))", "!has(self.a) || self.a > 1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompiledCelRules.write(rules, out);
        Map<String, CelAbstractSyntaxTree> read = CompiledCelRules.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(read.keySet()).containsExactlyInAnyOrderElementsOf(rules);
        var runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();
        Object[][] cases = {{"self.size() <= 3", List.of(1L, 2L), true}, {"self.size() <= 3", List.of(1L, 2L, 3L, 4L), false},
                {"self.all(x, x.startsWith('h'))", List.of("h1", "h2"), true}, {"self.all(x, x.startsWith('h'))", List.of("h1", "s1"), false},
                {"!has(self.a) || self.a > 1", Map.of("a", 2L), true}, {"!has(self.a) || self.a > 1", Map.of("a", 0L), false},
                {"!has(self.a) || self.a > 1", Map.of(), true}};
        for (Object[] c : cases) {
            String rule = (String) c[0];
            Object fromFile = runtime.createProgram(read.get(rule)).eval(Map.of("self", c[1]));
            Object compiled = runtime.createProgram(CrdSchemaValidator.checked(rule)).eval(Map.of("self", c[1]));
            assertThat(fromFile).as(rule + " on " + c[1]).isEqualTo(c[2]).isEqualTo(compiled);
        }
    }

    @Test
    void aFileOfAnotherKindIsRefused() {
        assertThatThrownBy(() -> CompiledCelRules.read(new ByteArrayInputStream(new byte[]{0, 3, 'a', 'b', 'c'})))
                .isInstanceOf(IOException.class).hasMessageContaining("not a file of compiled CEL rules");
    }

    @Test
    void aRuleNotInTheFileIsCompiledWhereItIsUsed() throws IOException {
        String rule = "self.startsWith('only-here-')";
        assertThat(CompiledCelRules.bundled()).doesNotContainKey(rule);
        String crd = """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: things.example.com}
                spec:
                  group: example.com
                  names: {kind: Thing, plural: things}
                  scope: Namespaced
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            properties:
                              name:
                                type: string
                                x-kubernetes-validations:
                                - rule: "%s"
                                  message: must start with only-here-
                """.formatted(rule);
        CrdSchemaValidator validator = CrdSchemaValidator.of(new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(crd), "v1");
        assertThat(validator.validate(new ObjectMapper().readTree("{\"spec\":{\"name\":\"only-here-x\"}}"))).isEmpty();
        assertThat(validator.validate(new ObjectMapper().readTree("{\"spec\":{\"name\":\"elsewhere\"}}")))
                .singleElement().extracting(FieldError::toString).asString().contains("must start with only-here-");
    }
}
