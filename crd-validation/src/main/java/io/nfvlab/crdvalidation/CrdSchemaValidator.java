package io.nfvlab.crdvalidation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Validates a resource against one version of a CRD the way the API server does: the structural OpenAPI schema
 * (types, required, pattern, enum, bounds, lengths, item counts) and every {@code x-kubernetes-validations} rule,
 * evaluated with Google's CEL implementation with {@code self} bound to the value at the rule's place. Errors are
 * shaped as the server's field errors (path {@code spec.links[0]}, "Invalid value: ...", the Status cause reason).
 * <p>
 * {@link #validate} is strict about unknown fields, as kubectl's default server-side field validation is; an API
 * server whose client asks for nothing strict instead drops them ({@link #prune}) and applies schema defaults
 * ({@link #applyDefaults}) before validating. Instances are thread-safe.
 */
public final class CrdSchemaValidator {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
    // a CRD's rules and patterns are few and fixed: compiling each once keeps validation off the request's cost
    private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

    private final JsonNode crd;
    private final JsonNode schema;

    private CrdSchemaValidator(JsonNode crd, JsonNode schema) {
        this.crd = crd;
        this.schema = schema;
    }

    /** The validator of {@code version} of this CRD (apiextensions.k8s.io/v1, as JSON or YAML tree). */
    public static CrdSchemaValidator of(JsonNode crd, String version) {
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("name").asText().equals(version)) {
                return new CrdSchemaValidator(crd, v.path("schema").path("openAPIV3Schema"));
            }
        }
        throw new IllegalArgumentException("CRD " + crd.path("metadata").path("name").asText() + " has no version " + version);
    }

    /** Loads a generated nfvlab CRD from the classpath by its plural, e.g. "virtualtopologies" (first version). */
    public static CrdSchemaValidator forPlural(String plural) {
        String resource = "/META-INF/fabric8/" + plural + ".nfvlab.io-v1.yml";
        try (InputStream in = CrdSchemaValidator.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("generated CRD " + resource + " is not on the classpath; build the crds module");
            }
            JsonNode crd = YAML.readTree(in);
            return of(crd, crd.path("spec").path("versions").get(0).path("name").asText());
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

    /** Every error of the whole resource, unknown fields included. */
    public List<FieldError> validate(JsonNode resource) {
        List<FieldError> out = new ArrayList<>();
        walk(schema, resource, "", out);
        return out;
    }

    /**
     * Every error of one top-level property ({@code status} for the status subresource, which the server validates
     * against the status schema alone), with paths starting at that property.
     */
    public List<FieldError> validateProperty(JsonNode resource, String property) {
        List<FieldError> out = new ArrayList<>();
        walk(schema.path("properties").path(property), resource.get(property), property, out);
        return out;
    }

    /**
     * Removes what the server does not store: fields the schema does not know (outside
     * {@code x-kubernetes-preserve-unknown-fields}) and null values of fields that are not nullable. Returns the
     * paths of the unknown fields, which the server reports as warnings.
     */
    public List<String> prune(JsonNode resource) {
        List<String> out = new ArrayList<>();
        prune(schema, resource, "", out);
        return out;
    }

    /** Sets every absent field that has a {@code default} in the schema, as the server does before validating. */
    public void applyDefaults(JsonNode resource) {
        applyDefaults(schema, resource);
    }

    private void walk(JsonNode s, JsonNode v, String path, List<FieldError> out) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return;
        }
        String type = s.path("type").asText("");
        String where = path.isEmpty() ? "(root)" : path;
        int before = out.size();
        switch (type) {
            case "object" -> {
                if (!v.isObject()) {
                    out.add(typeInvalid(where, type, v));
                    return;
                }
                for (JsonNode req : s.path("required")) {
                    if (!v.has(req.asText()) || v.get(req.asText()).isNull()) {
                        out.add(new FieldError(join(path, req.asText()), FieldError.Type.REQUIRED, null, ""));
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
                        out.add(new FieldError(join(path, f.getKey()), FieldError.Type.UNKNOWN, null,
                                "unknown field \"" + join(path, f.getKey()) + "\""));
                    }
                }
            }
            case "array" -> {
                if (!v.isArray()) {
                    out.add(typeInvalid(where, type, v));
                    return;
                }
                if (s.has("maxItems") && v.size() > s.get("maxItems").asInt()) {
                    out.add(new FieldError(where, FieldError.Type.TOO_MANY, String.valueOf(v.size()),
                            "must have at most " + s.get("maxItems").asInt() + " items"));
                }
                if (s.has("minItems") && v.size() < s.get("minItems").asInt()) {
                    out.add(invalid(where, String.valueOf(v.size()), where + " in body should have at least "
                            + s.get("minItems").asInt() + " items"));
                }
                for (int i = 0; i < v.size(); i++) {
                    walk(s.path("items"), v.get(i), path + "[" + i + "]", out);
                }
            }
            case "string" -> {
                if (!v.isTextual()) {
                    out.add(typeInvalid(where, type, v));
                    return;
                }
                String text = v.asText();
                if (s.has("pattern") && !PATTERNS.computeIfAbsent(s.get("pattern").asText(), Pattern::compile).matcher(text).find()) {
                    out.add(invalid(where, quote(text), where + " in body should match '" + s.get("pattern").asText() + "'"));
                }
                if (s.has("enum")) {
                    boolean found = false;
                    List<String> supported = new ArrayList<>();
                    for (JsonNode e : s.get("enum")) {
                        found |= e.asText().equals(text);
                        supported.add(quote(e.asText()));
                    }
                    if (!found) {
                        out.add(new FieldError(where, FieldError.Type.NOT_SUPPORTED, quote(text),
                                "supported values: " + String.join(", ", supported)));
                    }
                }
                if (s.has("maxLength") && text.length() > s.get("maxLength").asInt()) {
                    out.add(new FieldError(where, FieldError.Type.TOO_LONG, null,
                            "may not be more than " + s.get("maxLength").asInt() + " bytes"));
                }
                if (s.has("minLength") && text.length() < s.get("minLength").asInt()) {
                    out.add(invalid(where, quote(text), where + " in body should be at least " + s.get("minLength").asInt() + " chars long"));
                }
            }
            case "integer", "number" -> {
                if (!v.isNumber() || (type.equals("integer") && !v.isIntegralNumber())) {
                    out.add(typeInvalid(where, type, v));
                    return;
                }
                double d = v.asDouble();
                if (s.has("minimum") && d < s.get("minimum").asDouble()) {
                    out.add(invalid(where, v.asText(), where + " in body should be greater than or equal to " + num(s.get("minimum"))));
                }
                if (s.has("maximum") && d > s.get("maximum").asDouble()) {
                    out.add(invalid(where, v.asText(), where + " in body should be less than or equal to " + num(s.get("maximum"))));
                }
            }
            case "boolean" -> {
                if (!v.isBoolean()) {
                    out.add(typeInvalid(where, type, v));
                    return;
                }
            }
            default -> {
                // untyped (metadata's inner fields, int-or-string): nothing to check here
            }
        }
        // like the API server, rules run only on values that passed the schema (their types are then known)
        if (out.size() == before && s.has("x-kubernetes-validations")) {
            Object self = toCel(v, s);
            for (JsonNode rule : s.path("x-kubernetes-validations")) {
                String failure = evaluate(rule.path("rule").asText(), self);
                if (failure != null) {
                    // the server names the value by its schema type: Invalid value: "object": <message>
                    out.add(invalid(where, quote(type.isEmpty() ? "object" : type), failure.isEmpty()
                            ? rule.path("message").asText("failed rule: " + rule.path("rule").asText()) : failure));
                }
            }
        }
    }

    /** Null when the rule holds, "" when it fails, the error when it cannot be evaluated. */
    private static String evaluate(String rule, Object self) {
        CelRuntime.Program program = PROGRAMS.computeIfAbsent(rule, CrdSchemaValidator::compile);
        try {
            Object result = program.eval(Map.of("self", self));
            if (!(result instanceof Boolean b)) {
                return "rule " + rule + " returned " + result + ", not a bool";
            }
            return b ? null : "";
        } catch (CelEvaluationException e) {
            return "rule " + rule + " failed to evaluate: " + e.getMessage();
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

    private static void prune(JsonNode s, JsonNode v, String path, List<String> out) {
        if (v == null) {
            return;
        }
        if (v.isObject()) {
            if (s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false) && !s.has("properties")) {
                return;
            }
            JsonNode props = s.path("properties");
            JsonNode additional = s.get("additionalProperties");
            boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode child = props.has(f.getKey()) ? props.get(f.getKey())
                        : additional != null && additional.isObject() ? additional : null;
                if (path.isEmpty() && ROOT_FIELDS.contains(f.getKey())) {
                    continue;
                }
                if (child == null) {
                    if (!preserve && s.path("type").asText("").equals("object")) {
                        out.add(join(path, f.getKey()));
                        it.remove();
                    }
                } else if (f.getValue().isNull() && !child.path("nullable").asBoolean(false)) {
                    it.remove();
                } else {
                    prune(child, f.getValue(), join(path, f.getKey()), out);
                }
            }
        } else if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                prune(s.path("items"), v.get(i), path + "[" + i + "]", out);
            }
        }
    }

    private static void applyDefaults(JsonNode s, JsonNode v) {
        if (v == null) {
            return;
        }
        if (v.isObject()) {
            JsonNode props = s.path("properties");
            for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                if (p.getValue().has("default") && (!v.has(p.getKey()) || v.get(p.getKey()).isNull())) {
                    ((ObjectNode) v).set(p.getKey(), p.getValue().get("default").deepCopy());
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode child = props.has(f.getKey()) ? props.get(f.getKey()) : s.get("additionalProperties");
                if (child != null && child.isObject()) {
                    applyDefaults(child, f.getValue());
                }
            }
        } else if (v.isArray()) {
            v.forEach(x -> applyDefaults(s.path("items"), x));
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

    private static FieldError invalid(String where, String value, String detail) {
        return new FieldError(where, FieldError.Type.INVALID, value, detail);
    }

    /** As the server words it: {@code Invalid value: "string": spec.k in body must be of type integer: "string"}. */
    private static FieldError typeInvalid(String where, String expected, JsonNode v) {
        String actual = v.isObject() ? "object" : v.isArray() ? "array" : v.isTextual() ? "string" : v.isBoolean() ? "boolean"
                : v.isIntegralNumber() ? "integer" : "number";
        return new FieldError(where, FieldError.Type.TYPE_INVALID, quote(actual),
                where + " in body must be of type " + expected + ": " + quote(actual));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String num(JsonNode n) {
        double d = n.asDouble();
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
