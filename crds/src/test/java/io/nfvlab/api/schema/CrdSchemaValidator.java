package io.nfvlab.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.nfvlab.api.validation.Violation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates a resource against a generated CRD the way the API server does: the structural OpenAPI schema (types,
 * required, pattern, enum, minimum/maximum, unknown fields as with kubectl's strict field validation) and every
 * {@code x-kubernetes-validations} rule, evaluated with Google's CEL implementation with {@code self} bound to the
 * value at the rule's place. Field paths are written as the API server reports them (spec.links[0]).
 */
public final class CrdSchemaValidator {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private static final java.util.Set<String> ROOT_FIELDS = java.util.Set.of("apiVersion", "kind", "metadata");

    private final JsonNode crd;
    private final JsonNode schema;
    private final Map<String, CelRuntime.Program> programs = new HashMap<>();

    private CrdSchemaValidator(JsonNode crd) {
        this.crd = crd;
        this.schema = crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
    }

    /** Loads a generated CRD from the classpath by its plural, e.g. "virtualtopologies". */
    public static CrdSchemaValidator forPlural(String plural) {
        String resource = "/META-INF/fabric8/" + plural + ".nfvlab.io-v1.yml";
        try (InputStream in = CrdSchemaValidator.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("generated CRD " + resource + " is not on the classpath; build the crds module");
            }
            return new CrdSchemaValidator(YAML.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode crd() {
        return crd;
    }

    /** Every rule of the schema as (path of the schema node, rule, message), for tests that enumerate them. */
    public List<String[]> rules() {
        List<String[]> out = new ArrayList<>();
        collectRules(schema, "", out);
        return out;
    }

    public List<Violation> validate(JsonNode resource) {
        List<Violation> out = new ArrayList<>();
        walk(schema, resource, "", out);
        return out;
    }

    private void walk(JsonNode s, JsonNode v, String path, List<Violation> out) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return;
        }
        String type = s.path("type").asText("");
        String where = path.isEmpty() ? "(root)" : path;
        int before = out.size();
        switch (type) {
            case "object" -> {
                if (!v.isObject()) {
                    out.add(new Violation(where, "must be an object"));
                    return;
                }
                for (JsonNode req : s.path("required")) {
                    if (!v.has(req.asText()) || v.get(req.asText()).isNull()) {
                        out.add(new Violation(join(path, req.asText()), "Required value"));
                    }
                }
                JsonNode props = s.path("properties");
                JsonNode additional = s.get("additionalProperties");
                boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (props.has(f.getKey())) {
                        walk(props.get(f.getKey()), f.getValue(), join(path, f.getKey()), out);
                    } else if (additional != null && additional.isObject()) {
                        walk(additional, f.getValue(), join(path, f.getKey()), out);
                    } else if (path.isEmpty() && ROOT_FIELDS.contains(f.getKey())) {
                        // the API server validates apiVersion, kind and metadata itself; generated schemas omit them
                        continue;
                    } else if (!props.isMissingNode() && !preserve) {
                        out.add(new Violation(join(path, f.getKey()), "unknown field"));
                    }
                }
            }
            case "array" -> {
                if (!v.isArray()) {
                    out.add(new Violation(where, "must be an array"));
                    return;
                }
                if (s.has("maxItems") && v.size() > s.get("maxItems").asInt()) {
                    out.add(new Violation(where, "must have at most " + s.get("maxItems").asInt() + " items"));
                }
                for (int i = 0; i < v.size(); i++) {
                    walk(s.path("items"), v.get(i), path + "[" + i + "]", out);
                }
            }
            case "string" -> {
                if (!v.isTextual()) {
                    out.add(new Violation(where, "must be a string"));
                    return;
                }
                String text = v.asText();
                if (s.has("pattern") && !Pattern.compile(s.get("pattern").asText()).matcher(text).find()) {
                    out.add(new Violation(where, "\"" + text + "\" should match '" + s.get("pattern").asText() + "'"));
                }
                if (s.has("enum")) {
                    boolean found = false;
                    for (JsonNode e : s.get("enum")) {
                        found |= e.asText().equals(text);
                    }
                    if (!found) {
                        out.add(new Violation(where, "Unsupported value: \"" + text + "\""));
                    }
                }
                if (s.has("maxLength") && text.length() > s.get("maxLength").asInt()) {
                    out.add(new Violation(where, "may not be longer than " + s.get("maxLength").asInt()));
                }
            }
            case "integer", "number" -> {
                if (!v.isNumber() || (type.equals("integer") && !v.isIntegralNumber())) {
                    out.add(new Violation(where, "must be of type " + type));
                    return;
                }
                double d = v.asDouble();
                if (s.has("minimum") && d < s.get("minimum").asDouble()) {
                    out.add(new Violation(where, "should be greater than or equal to " + num(s.get("minimum"))));
                }
                if (s.has("maximum") && d > s.get("maximum").asDouble()) {
                    out.add(new Violation(where, "should be less than or equal to " + num(s.get("maximum"))));
                }
            }
            case "boolean" -> {
                if (!v.isBoolean()) {
                    out.add(new Violation(where, "must be a boolean"));
                    return;
                }
            }
            default -> {
                // untyped (metadata's inner fields, int-or-string): nothing to check here
            }
        }
        // like the API server, rules run only on values that passed the schema (their types are then known)
        if (out.size() == before) {
            for (JsonNode rule : s.path("x-kubernetes-validations")) {
                if (!evaluate(rule.path("rule").asText(), toCel(v, s))) {
                    out.add(new Violation(where, rule.path("message").asText("failed rule: " + rule.path("rule").asText())));
                }
            }
        }
    }

    private boolean evaluate(String rule, Object self) {
        try {
            CelRuntime.Program program = programs.computeIfAbsent(rule, CrdSchemaValidator::compile);
            Object result = program.eval(Map.of("self", self));
            if (!(result instanceof Boolean b)) {
                throw new IllegalStateException("rule " + rule + " returned " + result + ", not a bool");
            }
            return b;
        } catch (CelEvaluationException e) {
            throw new IllegalStateException("rule " + rule + " failed to evaluate: " + e.getMessage(), e);
        }
    }

    private static CelRuntime.Program compile(String rule) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(rule).getAst();
            return RUNTIME.createProgram(ast);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalStateException("rule " + rule + " does not compile: " + e.getMessage(), e);
        }
    }

    /** Converts JSON to CEL values as the API server types them from the schema: integer → int, number → double. */
    private static Object toCel(JsonNode v, JsonNode s) {
        String type = s.path("type").asText("");
        if (v.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode child = s.path("properties").has(f.getKey()) ? s.path("properties").get(f.getKey())
                        : s.path("additionalProperties");
                m.put(f.getKey(), toCel(f.getValue(), child));
            }
            return m;
        }
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            v.forEach(x -> l.add(toCel(x, s.path("items"))));
            return l;
        }
        if (v.isNumber()) {
            return type.equals("number") || !v.isIntegralNumber() ? (Object) v.asDouble() : (Object) v.asLong();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        return v.asText();
    }

    private static void collectRules(JsonNode s, String path, List<String[]> out) {
        for (JsonNode rule : s.path("x-kubernetes-validations")) {
            out.add(new String[]{path.isEmpty() ? "(root)" : path, rule.path("rule").asText(), rule.path("message").asText()});
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            collectRules(f.getValue(), join(path, f.getKey()), out);
        }
        if (s.has("items")) {
            collectRules(s.get("items"), path + "[*]", out);
        }
        if (s.path("additionalProperties").isObject()) {
            collectRules(s.get("additionalProperties"), path + "[*]", out);
        }
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String num(JsonNode n) {
        double d = n.asDouble();
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
