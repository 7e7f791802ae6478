package io.nfvlab.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nfvlab.crdvalidation.CelExpression;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same recorded objects as {@link ArgoCdHealthTest}, as Flux sees them: by kstatus' generic rules (what Flux
 * uses for a kind without health check expressions) and by the {@code healthCheckExprs} documented in
 * {@code nfvlab/flux/health-check-exprs.yaml}, evaluated with Google's CEL as kustomize-controller evaluates them.
 * Both must agree, and give Failed for what cannot go on without a change, so that a sync fails at once.
 */
class FluxHealthTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The variables Flux binds: the object's top-level fields. */
    private static final List<String> VARIABLES = List.of("apiVersion", "kind", "metadata", "spec", "status");

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource({
            "VirtualTopology, ready, Current",
            "VirtualTopology, progressing, InProgress",
            "VirtualTopology, degraded, InProgress",
            "VirtualTopology, invalid, Failed",
            "VirtualTopology, unschedulable, Failed",
            "TrafficTest, succeeded, Current",
            "TrafficTest, pending, InProgress",
            "TrafficTest, failed, Failed",
            "TrafficTest, timed-out, Failed",
            "TrafficTest, invalid, Failed",
            "DpdkBridge, ready, Current",
            "DpdkBridge, progressing, InProgress",
            "DpdkBridge, no-nodes, Failed",
            "DpdkBridge, invalid, Failed",
    })
    void kstatusAndTheFluxExpressionsAgree(String kind, String fixture, String expected) throws IOException {
        JsonNode object = YAML.readTree(ArgoCdHealthTest.GROUP.resolve(kind).resolve("testdata").resolve(fixture + ".yaml").toFile());
        assertThat(kstatus(object)).as("kstatus").isEqualTo(expected);
        assertThat(flux(object, expressions(kind))).as("Flux healthCheckExprs").isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"VirtualTopology", "TrafficTest", "DpdkBridge"})
    void anObjectTheOperatorHasNotSeenYetIsInProgress(String kind) throws IOException {
        JsonNode object = YAML.readTree(ArgoCdHealthTest.GROUP.resolve(kind).resolve("testdata").resolve(
                kind.equals("TrafficTest") ? "succeeded.yaml" : "ready.yaml").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) object).remove("status");
        // kstatus cannot tell without conditions and calls it Current: the expressions wait for the operator instead
        assertThat(kstatus(object)).isEqualTo("Current");
        assertThat(flux(object, expressions(kind))).isEqualTo("InProgress");
    }

    /**
     * kstatus' rules for a kind it has no special rules for (sigs.k8s.io/cli-utils pkg/kstatus/status, generic):
     * deletion → Terminating; observedGeneration behind generation → InProgress; the first of Reconciling=True
     * (InProgress) and Stalled=True (Failed) in the list; otherwise Current.
     */
    static String kstatus(JsonNode object) {
        if (object.path("metadata").has("deletionTimestamp")) {
            return "Terminating";
        }
        JsonNode status = object.path("status");
        if (status.has("observedGeneration") && status.path("observedGeneration").asLong() != object.path("metadata").path("generation").asLong()) {
            return "InProgress";
        }
        for (JsonNode c : status.path("conditions")) {
            if ("Reconciling".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
                return "InProgress";
            }
            if ("Stalled".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
                return "Failed";
            }
        }
        return "Current";
    }

    /**
     * Flux's evaluation of one kind's expressions: a status for an older generation is InProgress; then inProgress,
     * failed and current in that order; none true (or an expression that cannot be evaluated) is InProgress.
     */
    static String flux(JsonNode object, JsonNode exprs) {
        JsonNode status = object.path("status");
        if (status.has("observedGeneration") && status.path("observedGeneration").asLong() != object.path("metadata").path("generation").asLong()) {
            return "InProgress";
        }
        try {
            if (exprs.has("inProgress") && CelExpression.compile(exprs.path("inProgress").asText(), VARIABLES).test(object)) {
                return "InProgress";
            }
            if (exprs.has("failed") && CelExpression.compile(exprs.path("failed").asText(), VARIABLES).test(object)) {
                return "Failed";
            }
            if (CelExpression.compile(exprs.path("current").asText(), VARIABLES).test(object)) {
                return "Current";
            }
        } catch (IllegalStateException e) {
            return "InProgress";
        }
        return "InProgress";
    }

    private static JsonNode expressions(String kind) throws IOException {
        for (JsonNode e : YAML.readTree(Path.of("nfvlab/flux/health-check-exprs.yaml").toFile()).path("healthCheckExprs")) {
            if (kind.equals(e.path("kind").asText())) {
                assertThat(e.path("apiVersion").asText()).isEqualTo("nfvlab.io/v1alpha1");
                return e;
            }
        }
        throw new AssertionError("no healthCheckExprs for " + kind);
    }
}
