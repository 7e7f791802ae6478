package io.nfvlab.api.yaml;

import io.nfvlab.api.Nfvlab;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.profile.LinkProfile;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads nfvlab resources (VirtualTopology, TrafficTest, DpdkBridge, LinkProfile) from one file or string of YAML, one resource per
 * document. Anything wrong — malformed YAML, a missing or unknown apiVersion/kind, an unknown field, a value of the
 * wrong type — raises one {@link NfvlabYamlException} whose message is a single line naming the source, the document
 * and its line, and the problem. Unknown fields are errors (not silently dropped) because a misspelt field would
 * otherwise quietly fall back to a default.
 */
public final class NfvlabYaml {
    public static final String API_VERSION = Nfvlab.GROUP + "/" + Nfvlab.VERSION;

    /** The kinds a user may write, with their classes. */
    public static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "VirtualTopology", VirtualTopology.class,
            "TrafficTest", TrafficTest.class,
            "DpdkBridge", DpdkBridge.class,
            "LinkProfile", LinkProfile.class);

    private static final ObjectMapper MAPPER = mapper();

    private NfvlabYaml() {
    }

    /** One resource and where it came from. */
    public record Document(HasMetadata resource, int index, int line) {
    }

    public static List<HasMetadata> load(Path file) {
        return loadDocuments(file).stream().map(Document::resource).toList();
    }

    public static List<HasMetadata> load(String yaml, String sourceName) {
        return loadDocuments(yaml, sourceName).stream().map(Document::resource).toList();
    }

    public static List<Document> loadDocuments(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new NfvlabYamlException(file + ": no such file");
        } catch (IOException e) {
            throw new NfvlabYamlException(file + ": cannot read: " + e.getMessage());
        }
        return loadDocuments(text, file.toString());
    }

    /** Loads every non-empty document; {@code sourceName} names the input in messages (a file name, "stdin"). */
    public static List<Document> loadDocuments(String yaml, String sourceName) {
        List<Document> out = new ArrayList<>();
        int index = 0;
        try (JsonParser parser = MAPPER.getFactory().createParser(yaml)) {
            while (true) {
                JsonToken token;
                try {
                    token = parser.nextToken();
                } catch (JsonProcessingException e) {
                    throw new NfvlabYamlException(sourceName + ": " + where(index + 1, e.getLocation()) + ": malformed YAML: "
                            + firstLine(e.getOriginalMessage()));
                }
                if (token == null) {
                    break;
                }
                index++;
                int line = firstContentLine(yaml, parser.currentTokenLocation().getLineNr());
                JsonNode node;
                try {
                    node = MAPPER.readTree(parser);
                } catch (JsonProcessingException e) {
                    throw new NfvlabYamlException(sourceName + ": " + where(index, e.getLocation()) + ": malformed YAML: "
                            + firstLine(e.getOriginalMessage()));
                }
                if (node == null || node.isNull() || node.isMissingNode()) {
                    index--; // an empty document ("---" at the end) is not a resource
                    continue;
                }
                out.add(new Document(bind(node, sourceName + ": document " + index + " (line " + line + ")"), index, line));
            }
        } catch (IOException e) {
            throw new NfvlabYamlException(sourceName + ": cannot read: " + firstLine(e.getMessage()));
        }
        if (out.isEmpty()) {
            throw new NfvlabYamlException(sourceName + ": no resources (expected one or more of "
                    + String.join(", ", kinds()) + ")");
        }
        return out;
    }

    /** The resources of one kind, in document order. */
    public static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> resources, Class<T> kind) {
        return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private static HasMetadata bind(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new NfvlabYamlException(where + ": expected a resource (a mapping with apiVersion, kind, metadata, spec), got "
                    + describe(node));
        }
        JsonNode kindNode = node.get("kind");
        JsonNode apiVersionNode = node.get("apiVersion");
        if (kindNode == null || !kindNode.isTextual()) {
            throw new NfvlabYamlException(where + ": kind is missing (one of " + String.join(", ", kinds()) + ")");
        }
        String kind = kindNode.asText();
        Class<? extends HasMetadata> type = KINDS.get(kind);
        if (type == null) {
            throw new NfvlabYamlException(where + ": unknown kind \"" + kind + "\" (nfvlab files hold "
                    + String.join(", ", kinds()) + ")");
        }
        if (apiVersionNode == null || !apiVersionNode.isTextual()) {
            throw new NfvlabYamlException(where + ": apiVersion is missing (use " + API_VERSION + ")");
        }
        if (!API_VERSION.equals(apiVersionNode.asText())) {
            throw new NfvlabYamlException(where + ": apiVersion \"" + apiVersionNode.asText() + "\" is not " + API_VERSION);
        }
        JsonNode name = node.path("metadata").path("name");
        if (!name.isTextual() || name.asText().isBlank()) {
            throw new NfvlabYamlException(where + ": metadata.name is missing");
        }
        String named = where + " " + kind + " " + name.asText();
        try {
            return MAPPER.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw new NfvlabYamlException(named + ": " + path(e) + ": unknown field" + known(e));
        } catch (InvalidFormatException e) {
            throw new NfvlabYamlException(named + ": " + path(e) + ": " + describeValue(e.getValue()) + " is not "
                    + expected(e.getTargetType()));
        } catch (MismatchedInputException e) {
            JsonNode given = valueAt(node, e);
            throw new NfvlabYamlException(named + ": " + path(e) + ": " + (given == null || given.isContainerNode()
                    ? "expected " + expected(e.getTargetType())
                    : describeGiven(given) + " is not " + expected(e.getTargetType())));
        } catch (JsonProcessingException e) {
            throw new NfvlabYamlException(named + ": " + firstLine(e.getOriginalMessage()));
        } catch (IllegalArgumentException e) {
            throw new NfvlabYamlException(named + ": " + firstLine(e.getMessage()));
        }
    }

    /** The YAML parser places a document at its "---" marker; people count from the first line with content. */
    private static int firstContentLine(String yaml, int line) {
        List<String> lines = yaml.lines().toList();
        int i = line;
        while (i >= 1 && i <= lines.size()) {
            String t = lines.get(i - 1).strip();
            if (!(t.isEmpty() || t.startsWith("#") || t.equals("---"))) {
                return i;
            }
            i++;
        }
        return line;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "(document)" : sb.toString();
    }

    private static JsonNode valueAt(JsonNode root, JsonMappingException e) {
        JsonNode n = root;
        for (JsonMappingException.Reference r : e.getPath()) {
            n = r.getFieldName() != null ? n.get(r.getFieldName()) : n.get(r.getIndex());
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    private static String describeGiven(JsonNode n) {
        return n.isTextual() ? "\"" + abbreviate(n.asText()) + "\"" : abbreviate(n.toString());
    }

    private static String known(UnrecognizedPropertyException e) {
        if (e.getKnownPropertyIds() == null || e.getKnownPropertyIds().isEmpty()) {
            return "";
        }
        return " (known: " + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(NfvlabYaml::wireName).collect(Collectors.joining(", "));
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a mapping (" + type.getSimpleName() + ")";
    }

    private static String wireName(Object constant) {
        try {
            var p = constant.getClass().getField(((Enum<?>) constant).name())
                    .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            return p != null ? p.value() : constant.toString();
        } catch (NoSuchFieldException e) {
            return constant.toString();
        }
    }

    private static String describeValue(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    private static String describe(JsonNode node) {
        if (node.isArray()) {
            return "a list";
        }
        return node.isTextual() ? "the text \"" + abbreviate(node.asText()) + "\"" : "the value " + abbreviate(node.toString());
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static String where(int document, JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? "document " + document
                : "document " + document + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        String line = message.strip().lines().findFirst().orElse(message);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static List<String> kinds() {
        return KINDS.keySet().stream().sorted().toList();
    }

    private static ObjectMapper mapper() {
        ObjectMapper m = new ObjectMapper(new YAMLFactory());
        // a key written twice is a mistake (the later one would silently win)
        m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        // Kubernetes rejects "4" for an integer and 4.5 for a whole number; so do we
        m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        m.findAndRegisterModules();
        return m;
    }

    /** A problem with nfvlab YAML input; the message is one line meant for the user as it is. */
    public static final class NfvlabYamlException extends RuntimeException {
        public NfvlabYamlException(String message) {
            super(message);
        }
    }
}
