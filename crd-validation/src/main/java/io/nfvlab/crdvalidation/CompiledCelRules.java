package io.nfvlab.crdvalidation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelProtoAbstractSyntaxTree;
import dev.cel.expr.CheckedExpr;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The CEL rules of nfvlab's own CRDs, parsed and type-checked at build time (the crds module writes them beside the
 * CRDs, as {@link #RESOURCE}). Parsing and checking a rule runs CEL's parser and checker, code that a command runs
 * nowhere else: for the ~80 rules of the five CRDs that was ≈7 % of the CPU of `nfvlab run --topo linear,4 --test
 * pingall`, with the JIT's work on that code besides. A checked rule read back here gives the same program as one
 * compiled where it is used ({@code CompiledCelRulesTest} in the crds module holds every rule of the CRDs to that);
 * a rule not in the file (another CRD's, or a CRD changed without a build) is compiled where it is used, as before.
 * <p>
 * The file: a header line, the number of rules, then each rule's text and its {@code CheckedExpr} in protobuf form.
 */
public final class CompiledCelRules {
    /** Where the crds module's jar has the file. */
    public static final String RESOURCE = "META-INF/nfvlab/compiled-cel-rules.bin";
    private static final String HEADER = "nfvlab compiled CEL rules 1";

    private CompiledCelRules() {
    }

    /** The rules on the classpath ({@link #RESOURCE}), read on first use; empty when there is no such file. */
    static Map<String, CelAbstractSyntaxTree> bundled() {
        return Bundled.RULES;
    }

    private static final class Bundled {
        static final Map<String, CelAbstractSyntaxTree> RULES = load();

        private static Map<String, CelAbstractSyntaxTree> load() {
            try (InputStream in = CompiledCelRules.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                return in == null ? Map.of() : read(in);
            } catch (IOException | RuntimeException e) {
                // a damaged file costs only time: every rule is then compiled where it is used
                return Map.of();
            }
        }
    }

    /** Every {@code x-kubernetes-validations} rule in {@code crd} (a CRD as JSON), at any depth of its schemas. */
    public static Set<String> rulesIn(JsonNode crd) {
        Set<String> rules = new TreeSet<>();
        collect(crd, rules);
        return rules;
    }

    private static void collect(JsonNode node, Set<String> rules) {
        if (node.isObject()) {
            for (JsonNode validation : node.path("x-kubernetes-validations")) {
                if (validation.path("rule").isTextual()) {
                    rules.add(validation.path("rule").asText());
                }
            }
        }
        node.forEach(child -> collect(child, rules));
    }

    /** Compiles {@code rules} as {@link CrdSchemaValidator} does and writes them to {@code out}. */
    public static void write(Collection<String> rules, OutputStream out) throws IOException {
        Set<String> sorted = new TreeSet<>(rules);
        DataOutputStream data = new DataOutputStream(out);
        data.writeUTF(HEADER);
        data.writeInt(sorted.size());
        for (String rule : sorted) {
            byte[] checked = CelProtoAbstractSyntaxTree.fromCelAst(CrdSchemaValidator.checked(rule)).toCheckedExpr().toByteArray();
            data.writeUTF(rule);
            data.writeInt(checked.length);
            data.write(checked);
        }
        data.flush();
    }

    /** The rules {@link #write} wrote, each as its checked syntax tree. */
    static Map<String, CelAbstractSyntaxTree> read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        String header = data.readUTF();
        if (!header.equals(HEADER)) {
            throw new IOException("not a file of compiled CEL rules (header \"" + header + "\")");
        }
        int count = data.readInt();
        Map<String, CelAbstractSyntaxTree> rules = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String rule = data.readUTF();
            byte[] checked = data.readNBytes(data.readInt());
            rules.put(rule, CelProtoAbstractSyntaxTree.fromCheckedExpr(CheckedExpr.parseFrom(checked)).getAst());
        }
        return Map.copyOf(rules);
    }
}
