package io.nfvlab.crdvalidation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A boolean CEL expression over a whole object whose top-level fields are its variables, as Flux's
 * {@code healthCheckExprs} see a custom resource ({@code status.conditions.exists(c, ...)}). Values are typed from the
 * JSON alone (no schema): integral numbers are CEL ints, other numbers doubles.
 */
public final class CelExpression {
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private final String text;
    private final CelRuntime.Program program;

    private CelExpression(String text, CelRuntime.Program program) {
        this.text = text;
        this.program = program;
    }

    /** Compiles {@code expression} with each of {@code variables} declared as a dynamic value. */
    public static CelExpression compile(String expression, List<String> variables) {
        CelCompilerBuilder builder = CelCompilerFactory.standardCelCompilerBuilder().setStandardMacros(CelStandardMacro.STANDARD_MACROS);
        variables.forEach(v -> builder.addVar(v, SimpleType.DYN));
        CelCompiler compiler = builder.build();
        try {
            CelAbstractSyntaxTree ast = compiler.compile(expression).getAst();
            return new CelExpression(expression, RUNTIME.createProgram(ast));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException("expression " + expression + " does not compile: " + e.getMessage(), e);
        }
    }

    /**
     * Evaluates against {@code object}'s top-level fields. A field the object lacks is left unbound, so that an
     * expression reading it fails as it would in Flux.
     *
     * @throws IllegalStateException when the expression cannot be evaluated or does not yield a bool
     */
    public boolean test(JsonNode object) {
        Map<String, Object> variables = new LinkedHashMap<>();
        object.fields().forEachRemaining(f -> {
            if (!f.getValue().isNull()) {
                variables.put(f.getKey(), toCel(f.getValue()));
            }
        });
        try {
            Object result = program.eval(variables);
            if (result instanceof Boolean b) {
                return b;
            }
            throw new IllegalStateException("expression " + text + " returned " + result + ", not a bool");
        } catch (CelEvaluationException e) {
            throw new IllegalStateException("expression " + text + " failed: " + e.getMessage(), e);
        }
    }

    private static Object toCel(JsonNode v) {
        if (v.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                // a null field is an absent one, as the API server stores it
                if (!f.getValue().isNull()) {
                    m.put(f.getKey(), toCel(f.getValue()));
                }
            }
            return m;
        }
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            v.forEach(x -> l.add(toCel(x)));
            return l;
        }
        if (v.isNumber()) {
            return v.isIntegralNumber() ? (Object) v.asLong() : (Object) v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        return v.asText();
    }
}
