package io.nfvlab.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.nfvlab.crdvalidation.CrdSchemaValidator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API server refuses a CRD whose CEL rules it estimates too expensive: per rule, the rule's cost times its
 * cardinality (the product of maxItems/maxProperties of every list and map above it, or a huge guess where one is
 * missing) may not exceed 10,000,000, and all rules together 100,000,000. Strings without maxLength are costed as
 * megabytes long. This test holds every rule of the generated CRDs to a stricter policy that keeps them far inside
 * those limits: bounded cardinality (computed as apiextensions-apiserver does), maxLength or enum on every string the
 * rule reads, maxItems on every list it iterates, and a coarse upper bound on the cost (10 per rule × the sizes of the
 * lists its macros iterate, all treated as nested × cardinality). It is not the API server's estimator; the e2e test
 * installs the CRDs on a real one where Docker runs.
 */
class CelCostBoundsTest {
    private static final long PER_RULE_LIMIT = 10_000_000L;
    private static final long PER_CRD_LIMIT = 100_000_000L;
    private static final Pattern SELF_FIELD = Pattern.compile("(?<!has\\()self\\.(\\w+)"); // has(self.x) only tests presence
    private static final Pattern MACRO = Pattern.compile("(\\w+(?:\\.\\w+)*)\\.(all|exists|exists_one|map|filter)\\((\\w+),");

    @ParameterizedTest
    @ValueSource(strings = {"virtualtopologies", "traffictests", "dpdkbridges", "networknodestates", "linkprofiles"})
    void everyRuleIsBoundedAndCheap(String plural) {
        JsonNode schema = CrdSchemaValidator.forPlural(plural).crd().path("spec").path("versions").get(0)
                .path("schema").path("openAPIV3Schema");
        List<String> problems = new ArrayList<>();
        long[] total = {0};
        walk(schema, "", 1L, problems, total);
        assertThat(total[0]).as("coarse total cost of the CRD's rules").isLessThanOrEqualTo(PER_CRD_LIMIT);
        assertThat(problems).isEmpty();
    }

    private static void walk(JsonNode s, String path, Long cardinality, List<String> problems, long[] total) {
        for (JsonNode rule : s.path("x-kubernetes-validations")) {
            check(s, path.isEmpty() ? "(root)" : path, cardinality, rule.path("rule").asText(), problems, total);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            walk(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(), cardinality, problems, total);
        }
        if (s.has("items")) {
            walk(s.get("items"), path + "[]", times(cardinality, s.has("maxItems") ? s.get("maxItems").asLong() : null), problems, total);
        }
        if (s.path("additionalProperties").isObject()) {
            walk(s.get("additionalProperties"), path + "{}",
                    times(cardinality, s.has("maxProperties") ? s.get("maxProperties").asLong() : null), problems, total);
        }
    }

    private static void check(JsonNode node, String path, Long cardinality, String rule, List<String> problems, long[] total) {
        String where = path + ": rule " + rule + ": ";
        if (cardinality == null) {
            problems.add(where + "sits inside a list or map without maxItems/maxProperties");
            return;
        }
        Matcher m = SELF_FIELD.matcher(rule);
        while (m.find()) {
            JsonNode field = node.path("properties").path(m.group(1));
            if (field.isMissingNode()) {
                problems.add(where + "reads self." + m.group(1) + ", which the schema does not have");
                continue;
            }
            checkBounded(field, where + "self." + m.group(1), problems);
        }
        long cost = 10;
        Map<String, JsonNode> itemOfVariable = new HashMap<>();
        Matcher macro = MACRO.matcher(rule);
        while (macro.find()) {
            JsonNode list = resolve(node, macro.group(1), itemOfVariable);
            if (list == null || !list.has("maxItems")) {
                problems.add(where + macro.group(1) + "." + macro.group(2) + " iterates a list without maxItems");
                continue;
            }
            cost = product(cost, list.get("maxItems").asLong());
            itemOfVariable.put(macro.group(3), list.path("items"));
        }
        for (Map.Entry<String, JsonNode> v : itemOfVariable.entrySet()) {
            Matcher use = Pattern.compile("\\b" + v.getKey() + "\\.(\\w+)").matcher(rule);
            while (use.find()) {
                checkBounded(v.getValue().path("properties").path(use.group(1)), where + v.getKey() + "." + use.group(1), problems);
            }
        }
        long ruleCost = product(cost, cardinality);
        if (ruleCost > PER_RULE_LIMIT) {
            problems.add(where + "coarse cost " + ruleCost + " exceeds " + PER_RULE_LIMIT);
        }
        total[0] = Long.MAX_VALUE - total[0] < ruleCost ? Long.MAX_VALUE : total[0] + ruleCost;
    }

    private static void checkBounded(JsonNode field, String what, List<String> problems) {
        String type = field.path("type").asText();
        if (type.equals("string") && !field.has("maxLength") && !field.has("enum")) {
            problems.add(what + " is a string without maxLength or enum (the API server costs it as megabytes long)");
        }
        if (type.equals("array") && !field.has("maxItems")) {
            problems.add(what + " is a list without maxItems");
        }
    }

    /** The schema of "self.ports" or "p.queues" (a lambda variable bound earlier). */
    private static JsonNode resolve(JsonNode node, String expression, Map<String, JsonNode> itemOfVariable) {
        String[] parts = expression.split("\\.");
        JsonNode cur = parts[0].equals("self") ? node : itemOfVariable.get(parts[0]);
        for (int i = 1; cur != null && i < parts.length; i++) {
            cur = cur.path("properties").path(parts[i]);
            if (cur.isMissingNode()) {
                return null;
            }
        }
        return cur;
    }

    private static Long times(Long a, Long b) {
        if (a == null || b == null) {
            return null;
        }
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long product(long a, long b) {
        return times(Long.valueOf(a), Long.valueOf(b));
    }
}
