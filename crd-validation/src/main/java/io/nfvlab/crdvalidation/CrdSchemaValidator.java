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
    /** Built on first use: where every rule comes compiled ({@link CompiledCelRules}) it is never built. */
    private static final class Compiler {
        static final CelCompiler INSTANCE = CelCompilerFactory.standardCelCompilerBuilder()
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar("self", SimpleType.DYN)
                .build();
    }
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
    // a CRD's rules are few and fixed: compiling each once keeps compilation off the requests
    private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

    private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

    private final JsonNode crd;
    private final JsonNode schema;
    /** The schema read once into plain fields: the API server's write path walks it for every stored object. */
    private final Node root;

    private CrdSchemaValidator(JsonNode crd, JsonNode schema) {
        this.crd = crd;
        this.schema = schema;
        this.root = new Node(schema);
    }

    /** One schema node with what validation, pruning and defaulting read from it. */
    private static final class Node {
        final String type;
        final List<String> required = new ArrayList<>();
        final Map<String, Node> properties = new LinkedHashMap<>();
        final boolean hasProperties;
        final Node additional;
        final boolean preserveUnknown;
        final boolean nullable;
        final Node items;
        final Integer maxItems;
        final Integer minItems;
        final Integer maxLength;
        final Integer minLength;
        final JsonNode minimum;
        final JsonNode maximum;
        final Pattern pattern;
        final List<String> enumValues;
        final JsonNode defaultValue;
        final List<JsonNode> rules = new ArrayList<>();

        Node(JsonNode s) {
            type = s.path("type").asText("");
            s.path("required").forEach(r -> required.add(r.asText()));
            s.path("properties").fields().forEachRemaining(f -> properties.put(f.getKey(), new Node(f.getValue())));
            hasProperties = s.has("properties");
            additional = s.path("additionalProperties").isObject() ? new Node(s.get("additionalProperties")) : null;
            preserveUnknown = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            nullable = s.path("nullable").asBoolean(false);
            items = s.has("items") ? new Node(s.get("items")) : null;
            maxItems = s.has("maxItems") ? s.get("maxItems").asInt() : null;
            minItems = s.has("minItems") ? s.get("minItems").asInt() : null;
            maxLength = s.has("maxLength") ? s.get("maxLength").asInt() : null;
            minLength = s.has("minLength") ? s.get("minLength").asInt() : null;
            minimum = s.get("minimum");
            maximum = s.get("maximum");
            pattern = s.has("pattern") ? Pattern.compile(s.get("pattern").asText()) : null;
            if (s.has("enum")) {
                enumValues = new ArrayList<>();
                s.get("enum").forEach(e -> enumValues.add(e.asText()));
            } else {
                enumValues = null;
            }
            defaultValue = s.get("default");
            s.path("x-kubernetes-validations").forEach(rules::add);
            rules.forEach(r -> PROGRAMS.computeIfAbsent(r.path("rule").asText(), CrdSchemaValidator::compile));
        }

        /** The schema of field {@code name} of an object of this schema, null when the schema does not know it. */
        Node child(String name) {
            Node n = properties.get(name);
            return n != null ? n : additional;
        }
    }

    /**
     * Where a value sits, written out only for an error: building "spec.links[3].a" for every value of every
     * stored object is most of what validation would otherwise cost.
     */
    private record Where(Where parent, String field, int index) {
        static final Where ROOT = new Where(null, null, -1);

        Where child(String name) {
            return new Where(this, name, -1);
        }

        Where item(int i) {
            return new Where(this, null, i);
        }

        @Override
        public String toString() {
            if (parent == null) {
                return field == null ? "" : field;
            }
            String up = parent.toString();
            return field == null ? up + "[" + index + "]" : up.isEmpty() ? field : up + "." + field;
        }

        String orRoot() {
            String s = toString();
            return s.isEmpty() ? "(root)" : s;
        }
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
        walk(root, resource, Where.ROOT, out);
        return out;
    }

    /**
     * Every error of one top-level property ({@code status} for the status subresource, which the server validates
     * against the status schema alone), with paths starting at that property.
     */
    public List<FieldError> validateProperty(JsonNode resource, String property) {
        List<FieldError> out = new ArrayList<>();
        Node node = root.properties.get(property);
        if (node != null) {
            walk(node, resource.get(property), Where.ROOT.child(property), out);
        }
        return out;
    }

    /**
     * Removes what the server does not store: fields the schema does not know (outside
     * {@code x-kubernetes-preserve-unknown-fields}) and null values of fields that are not nullable. Returns the
     * paths of the unknown fields, which the server reports as warnings.
     */
    public List<String> prune(JsonNode resource) {
        List<String> out = new ArrayList<>();
        prune(root, resource, Where.ROOT, out);
        return out;
    }

    /** Sets every absent field that has a {@code default} in the schema, as the server does before validating. */
    public void applyDefaults(JsonNode resource) {
        applyDefaults(root, resource);
    }

    private static void walk(Node s, JsonNode v, Where at, List<FieldError> out) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return;
        }
        int before = out.size();
        switch (s.type) {
            case "object" -> {
                if (!v.isObject()) {
                    out.add(typeInvalid(at.orRoot(), s.type, v));
                    return;
                }
                for (String req : s.required) {
                    JsonNode r = v.get(req);
                    if (r == null || r.isNull()) {
                        out.add(new FieldError(at.child(req).toString(), FieldError.Type.REQUIRED, null, ""));
                    }
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    Node child = s.child(f.getKey());
                    if (child != null) {
                        walk(child, f.getValue(), at.child(f.getKey()), out);
                    } else if (at == Where.ROOT && ROOT_FIELDS.contains(f.getKey())) {
                        // the API server validates apiVersion, kind and metadata itself; generated schemas omit them
                        continue;
                    } else if (s.hasProperties && !s.preserveUnknown) {
                        String field = at.child(f.getKey()).toString();
                        out.add(new FieldError(field, FieldError.Type.UNKNOWN, null, "unknown field \"" + field + "\""));
                    }
                }
            }
            case "array" -> {
                if (!v.isArray()) {
                    out.add(typeInvalid(at.orRoot(), s.type, v));
                    return;
                }
                if (s.maxItems != null && v.size() > s.maxItems) {
                    out.add(new FieldError(at.orRoot(), FieldError.Type.TOO_MANY, String.valueOf(v.size()),
                            "must have at most " + s.maxItems + " items"));
                }
                if (s.minItems != null && v.size() < s.minItems) {
                    out.add(invalid(at.orRoot(), String.valueOf(v.size()), at.orRoot() + " in body should have at least "
                            + s.minItems + " items"));
                }
                if (s.items != null) {
                    for (int i = 0; i < v.size(); i++) {
                        walk(s.items, v.get(i), at.item(i), out);
                    }
                }
            }
            case "string" -> {
                if (!v.isTextual()) {
                    out.add(typeInvalid(at.orRoot(), s.type, v));
                    return;
                }
                String text = v.asText();
                if (s.pattern != null && !s.pattern.matcher(text).find()) {
                    out.add(invalid(at.orRoot(), quote(text), at.orRoot() + " in body should match '" + s.pattern.pattern() + "'"));
                }
                if (s.enumValues != null && !s.enumValues.contains(text)) {
                    out.add(new FieldError(at.orRoot(), FieldError.Type.NOT_SUPPORTED, quote(text),
                            "supported values: " + String.join(", ", s.enumValues.stream().map(CrdSchemaValidator::quote).toList())));
                }
                if (s.maxLength != null && text.length() > s.maxLength) {
                    out.add(new FieldError(at.orRoot(), FieldError.Type.TOO_LONG, null, "may not be more than " + s.maxLength + " bytes"));
                }
                if (s.minLength != null && text.length() < s.minLength) {
                    out.add(invalid(at.orRoot(), quote(text), at.orRoot() + " in body should be at least " + s.minLength + " chars long"));
                }
            }
            case "integer", "number" -> {
                if (!v.isNumber() || (s.type.equals("integer") && !v.isIntegralNumber())) {
                    out.add(typeInvalid(at.orRoot(), s.type, v));
                    return;
                }
                double d = v.asDouble();
                if (s.minimum != null && d < s.minimum.asDouble()) {
                    out.add(invalid(at.orRoot(), v.asText(), at.orRoot() + " in body should be greater than or equal to " + num(s.minimum)));
                }
                if (s.maximum != null && d > s.maximum.asDouble()) {
                    out.add(invalid(at.orRoot(), v.asText(), at.orRoot() + " in body should be less than or equal to " + num(s.maximum)));
                }
            }
            case "boolean" -> {
                if (!v.isBoolean()) {
                    out.add(typeInvalid(at.orRoot(), s.type, v));
                    return;
                }
            }
            default -> {
                // untyped (metadata's inner fields, int-or-string): nothing to check here
            }
        }
        // like the API server, rules run only on values that passed the schema (their types are then known)
        if (out.size() == before && !s.rules.isEmpty()) {
            Object self = toCel(v, s);
            for (JsonNode rule : s.rules) {
                String failure = evaluate(rule.path("rule").asText(), self);
                if (failure != null) {
                    // the server names the value by its schema type: Invalid value: "object": <message>
                    out.add(invalid(ruleField(at, rule), quote(s.type.isEmpty() ? "object" : s.type), failure.isEmpty()
                            ? rule.path("message").asText("failed rule: " + rule.path("rule").asText()) : failure));
                }
            }
        }
    }

    /** Where the server reports a failed rule: at the rule's value, or at its {@code fieldPath} below that value. */
    private static String ruleField(Where at, JsonNode rule) {
        String fieldPath = rule.path("fieldPath").asText("");
        if (fieldPath.isEmpty()) {
            return at.orRoot();
        }
        String base = at.toString();
        return base.isEmpty() ? fieldPath.substring(fieldPath.startsWith(".") ? 1 : 0) : base + fieldPath;
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
        CelAbstractSyntaxTree ast = CompiledCelRules.bundled().get(rule);
        try {
            return RUNTIME.createProgram(ast != null ? ast : checked(rule));
        } catch (CelEvaluationException e) {
            throw new IllegalStateException("rule " + rule + " does not compile: " + e.getMessage(), e);
        }
    }

    /** {@code rule} parsed and type-checked, with {@code self} a dynamic value, as the API server compiles it. */
    static CelAbstractSyntaxTree checked(String rule) {
        try {
            return Compiler.INSTANCE.compile(rule).getAst();
        } catch (CelValidationException e) {
            throw new IllegalStateException("rule " + rule + " does not compile: " + e.getMessage(), e);
        }
    }

    private static void prune(Node s, JsonNode v, Where at, List<String> out) {
        if (v == null) {
            return;
        }
        if (v.isObject()) {
            if (s.preserveUnknown && !s.hasProperties) {
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (at == Where.ROOT && ROOT_FIELDS.contains(f.getKey())) {
                    continue;
                }
                Node child = s.child(f.getKey());
                if (child == null) {
                    if (!s.preserveUnknown && s.type.equals("object")) {
                        out.add(at.child(f.getKey()).toString());
                        it.remove();
                    }
                } else if (f.getValue().isNull() && !child.nullable) {
                    it.remove();
                } else if (f.getValue().isContainerNode()) {
                    prune(child, f.getValue(), at.child(f.getKey()), out);
                }
            }
        } else if (v.isArray() && s.items != null) {
            for (int i = 0; i < v.size(); i++) {
                if (v.get(i).isContainerNode()) {
                    prune(s.items, v.get(i), at.item(i), out);
                }
            }
        }
    }

    private static void applyDefaults(Node s, JsonNode v) {
        if (v == null) {
            return;
        }
        if (v.isObject()) {
            for (Map.Entry<String, Node> p : s.properties.entrySet()) {
                if (p.getValue().defaultValue != null && (!v.has(p.getKey()) || v.get(p.getKey()).isNull())) {
                    ((ObjectNode) v).set(p.getKey(), p.getValue().defaultValue.deepCopy());
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                Node child = s.child(f.getKey());
                if (child != null && f.getValue().isContainerNode()) {
                    applyDefaults(child, f.getValue());
                }
            }
        } else if (v.isArray() && s.items != null) {
            v.forEach(x -> applyDefaults(s.items, x));
        }
    }

    /** Converts JSON to CEL values as the API server types them from the schema: integer → int, number → double. */
    private static Object toCel(JsonNode v, Node s) {
        if (v.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                Node child = s == null ? null : s.child(f.getKey());
                m.put(f.getKey(), toCel(f.getValue(), child));
            }
            return m;
        }
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            v.forEach(x -> l.add(toCel(x, s == null ? null : s.items)));
            return l;
        }
        if (v.isNumber()) {
            return (s != null && s.type.equals("number")) || !v.isIntegralNumber() ? (Object) v.asDouble() : (Object) v.asLong();
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
