package io.nfvlab.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.nfvlab.crdvalidation.CrdSchemaValidator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated CRDs are what the API server accepts and what kubectl users need (DESIGN.md, issue 2). */
class CrdStructureTest {

    @ParameterizedTest
    @ValueSource(strings = {"virtualtopologies", "traffictests", "dpdkbridges", "networknodestates"})
    void isStructural(String plural) {
        JsonNode crd = CrdSchemaValidator.forPlural(plural).crd();
        assertThat(crd.path("apiVersion").asText()).isEqualTo("apiextensions.k8s.io/v1");
        JsonNode versions = crd.path("spec").path("versions");
        assertThat(versions).hasSize(1);
        JsonNode version = versions.get(0);
        assertThat(version.path("served").asBoolean()).isTrue();
        assertThat(version.path("storage").asBoolean()).isTrue();
        List<String> problems = new ArrayList<>();
        checkStructural(version.path("schema").path("openAPIV3Schema"), "", problems);
        assertThat(problems).as("non-structural schema nodes").isEmpty();
        assertThat(version.path("subresources").has("status")).as("status subresource").isTrue();
        assertThat(crd.path("spec").path("names").path("categories").toString()).contains("\"nfvlab\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "virtualtopologies|Namespaced|vtopo,vt|Ready,Reason,Hosts,Links,Age,Nodes*,Message*",
            "traffictests|Namespaced|ttest|Ready,Reason,Type,Phase,Result,Age,Topology*,Runs*,Message*",
            "dpdkbridges|Cluster|dpdkbr|Ready,Reason,Nodes,Ports,Age,Bridge*,Message*",
            "networknodestates|Cluster||Node,Owner,Synced,Reason,Age,Kind*,Message*",
            "linkprofiles|Cluster|lprof|Bandwidth,Delay,Jitter,Loss,Age,Description*"})
    void hasScopeShortNamesAndPrinterColumnsThatPointAtRealFields(String plural, String scope, String shortNames, String columns) {
        JsonNode crd = CrdSchemaValidator.forPlural(plural).crd();
        assertThat(crd.path("spec").path("scope").asText()).isEqualTo(scope);
        if (shortNames != null) {
            List<String> actual = new ArrayList<>();
            crd.path("spec").path("names").path("shortNames").forEach(n -> actual.add(n.asText()));
            assertThat(actual).containsExactlyInAnyOrder(shortNames.split(","));
        }
        JsonNode version = crd.path("spec").path("versions").get(0);
        JsonNode schema = version.path("schema").path("openAPIV3Schema");
        List<String> names = new ArrayList<>();
        for (JsonNode c : version.path("additionalPrinterColumns")) {
            // kubectl prints columns in list order: Age last among the default ones, the -o wide ones (priority 1) after it
            names.add(c.path("name").asText() + (c.path("priority").asInt() == 1 ? "*" : ""));
            String path = c.path("jsonPath").asText();
            if (!path.startsWith(".metadata.")) {
                // ".status.conditions[?(@.type==\"Ready\")].status" → status, conditions, status
                String[] parts = path.replaceAll("\\[[^]]*]", "").substring(1).split("\\.");
                JsonNode node = schema;
                for (String part : parts) {
                    node = node.has("items") ? node.path("items") : node;
                    node = node.path("properties").path(part);
                    assertThat(node.isMissingNode()).as("printer column " + c.path("name").asText() + " path " + path).isFalse();
                }
            }
        }
        assertThat(names).containsExactly(columns.split(","));
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtualtopologies", "traffictests", "dpdkbridges", "networknodestates"})
    void conditionsHaveTheSchemaOfMetav1Condition(String plural) {
        JsonNode conditions = CrdSchemaValidator.forPlural(plural).crd().path("spec").path("versions").get(0)
                .path("schema").path("openAPIV3Schema").path("properties").path("status").path("properties").path("conditions");
        assertThat(conditions.path("x-kubernetes-list-type").asText()).isEqualTo("map");
        assertThat(conditions.path("x-kubernetes-list-map-keys").toString()).isEqualTo("[\"type\"]");
        JsonNode item = conditions.path("items");
        List<String> required = new ArrayList<>();
        item.path("required").forEach(r -> required.add(r.asText()));
        assertThat(required).containsExactlyInAnyOrder("type", "status", "lastTransitionTime", "reason", "message");
        assertThat(item.path("properties").path("status").path("enum").toString()).isEqualTo("[\"True\",\"False\",\"Unknown\"]");
        assertThat(item.path("properties").path("lastTransitionTime").path("format").asText()).isEqualTo("date-time");
        assertThat(item.path("properties").path("observedGeneration").path("type").asText()).isEqualTo("integer");
    }

    @org.junit.jupiter.api.Test
    void aConditionWithoutItsRequiredFieldsOrWithAnUnknownStatusIsRefused() throws Exception {
        JsonNode topology = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"apiVersion": "nfvlab.io/v1alpha1", "kind": "VirtualTopology", "metadata": {"name": "t"},
                 "spec": {"topology": {"type": "minimal"}},
                 "status": {"conditions": [
                   {"type": "Ready", "status": "Yes", "reason": "Ready", "message": "", "lastTransitionTime": "2026-12-04T20:00:00Z"},
                   {"type": "Stalled", "status": "False", "message": ""}]}}
                """);
        var errors = CrdSchemaValidator.forPlural("virtualtopologies").validate(topology).stream().map(Object::toString).toList();
        assertThat(errors).anyMatch(e -> e.contains("status.conditions[0].status") && e.contains("Unsupported value"));
        assertThat(errors).anyMatch(e -> e.contains("status.conditions[1].reason") && e.contains("Required"));
        assertThat(errors).anyMatch(e -> e.contains("status.conditions[1].lastTransitionTime") && e.contains("Required"));
    }

    /** {@code kubectl explain} at any depth: the kind itself, and every property of spec and status, has a description. */
    @ParameterizedTest
    @ValueSource(strings = {"virtualtopologies", "traffictests", "dpdkbridges", "networknodestates", "linkprofiles"})
    void everyFieldHasADescriptionForKubectlExplain(String plural) {
        JsonNode schema = CrdSchemaValidator.forPlural(plural).crd().path("spec").path("versions").get(0)
                .path("schema").path("openAPIV3Schema");
        assertThat(schema.path("description").asText("")).as(plural).isNotBlank();
        List<String> undocumented = new ArrayList<>();
        checkDescriptions(schema, "", undocumented);
        assertThat(undocumented).as(plural + ": properties without a description").isEmpty();
        assertThat(schema.path("properties").has("spec")).isTrue();
        assertThat(schema.path("properties").has("status")).isTrue();
    }

    private static void checkStructural(JsonNode s, String path, List<String> problems) {
        boolean typed = s.has("type") || s.path("x-kubernetes-int-or-string").asBoolean(false)
                || s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (!typed) {
            problems.add((path.isEmpty() ? "(root)" : path) + ": no type");
        }
        if (s.has("properties") && s.has("additionalProperties")) {
            problems.add(path + ": both properties and additionalProperties");
        }
        if (s.has("$ref")) {
            problems.add(path + ": $ref is not allowed in a structural schema");
        }
        // inside allOf/anyOf/oneOf/not a structural schema may not set types, descriptions or defaults
        for (String junctor : Arrays.asList("allOf", "oneOf", "anyOf", "not")) {
            List<JsonNode> branches = new ArrayList<>();
            if (s.path(junctor).isArray()) {
                s.get(junctor).forEach(branches::add);
            } else if (s.path(junctor).isObject()) {
                branches.add(s.get(junctor));
            }
            for (JsonNode b : branches) {
                for (String key : Arrays.asList("type", "description", "default", "additionalProperties", "nullable")) {
                    if (b.has(key)) {
                        problems.add(path + ": " + junctor + " sets " + key);
                    }
                }
            }
        }
        if ("array".equals(s.path("type").asText()) && !s.has("items")) {
            problems.add(path + ": array without items");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            checkStructural(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(), problems);
        }
        if (s.has("items")) {
            checkStructural(s.get("items"), path + "[]", problems);
        }
        if (s.path("additionalProperties").isObject()) {
            checkStructural(s.get("additionalProperties"), path + "{}", problems);
        }
    }

    private static void checkDescriptions(JsonNode s, String path, List<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String p = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
            if (f.getValue().path("description").asText("").isBlank()) {
                out.add(p);
            }
            checkDescriptions(f.getValue(), p, out);
        }
        // a list's or a map's elements are explained by their own properties
        if (s.has("items")) {
            checkDescriptions(s.get("items"), path + "[]", out);
        }
        if (s.path("additionalProperties").isObject()) {
            checkDescriptions(s.get("additionalProperties"), path + "{}", out);
        }
    }
}
