package io.nfvlab.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Argo CD health checks shipped in {@code nfvlab/argocd} (upstream's resource_customizations layout: one folder per
 * kind with {@code health.lua}, {@code health_test.yaml} and recorded objects in {@code testdata/}), run by a Lua
 * interpreter the way Argo CD runs them: the object as the global table {@code obj}, the result a table with
 * {@code status} and {@code message}.
 */
class ArgoCdHealthTest {
    static final Path GROUP = Path.of("nfvlab/argocd/nfvlab.io");
    static final List<String> KINDS = List.of("VirtualTopology", "TrafficTest", "DpdkBridge", "NetworkNodeState");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> ARGO_STATUSES = Set.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");

    record Case(String kind, String inputPath, String status, String message) {
        @Override
        public String toString() {
            return kind + " " + inputPath + " → " + status;
        }
    }

    static Stream<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (String kind : KINDS) {
            for (JsonNode t : YAML.readTree(GROUP.resolve(kind).resolve("health_test.yaml").toFile()).path("tests")) {
                cases.add(new Case(kind, t.path("inputPath").asText(), t.path("healthStatus").path("status").asText(),
                        t.path("healthStatus").path("message").asText()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recordedObjectGetsTheExpectedHealth(Case c) throws IOException {
        JsonNode object = YAML.readTree(GROUP.resolve(c.kind()).resolve(c.inputPath()).toFile());
        assertThat(object.path("kind").asText()).as("the recorded object is a " + c.kind()).isEqualTo(c.kind());
        Map<String, String> health = run(Files.readString(GROUP.resolve(c.kind()).resolve("health.lua")), object);
        assertThat(ARGO_STATUSES).contains(health.get("status"));
        assertThat(health).containsEntry("status", c.status()).containsEntry("message", c.message());
    }

    @Test
    void everyKindHasAHealthCheckAndEveryRecordedObjectIsTested() throws IOException {
        for (String kind : KINDS) {
            Path dir = GROUP.resolve(kind);
            assertThat(dir.resolve("health.lua")).exists();
            Set<String> tested = new TreeSet<>();
            cases().filter(c -> c.kind().equals(kind)).forEach(c -> tested.add(c.inputPath()));
            Set<String> recorded = new TreeSet<>();
            try (Stream<Path> files = Files.list(dir.resolve("testdata"))) {
                files.forEach(f -> recorded.add("testdata/" + f.getFileName()));
            }
            assertThat(tested).as(kind + ": every recorded object has a test").isEqualTo(recorded);
        }
    }

    @Test
    void theArgoCdConfigMapFragmentCarriesEachHealthCheckAsItIs() throws IOException {
        JsonNode data = YAML.readTree(Path.of("nfvlab/argocd/argocd-cm.yaml").toFile()).path("data");
        for (String kind : KINDS) {
            String key = "resource.customizations.health.nfvlab.io_" + kind;
            assertThat(data.path(key).asText()).as(key + " in argocd-cm.yaml equals " + kind + "/health.lua")
                    .isEqualTo(Files.readString(GROUP.resolve(kind).resolve("health.lua")));
        }
        assertThat(data.size()).isEqualTo(KINDS.size());
    }

    /** Runs a health script as Argo CD does: {@code obj} is the object as a table; returns status and message. */
    static Map<String, String> run(String script, JsonNode object) {
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", toLua(object));
        LuaValue result = globals.load(script, "health.lua").call();
        assertThat(result.istable()).as("the script returns a table").isTrue();
        return Map.of("status", result.get("status").tojstring(), "message", result.get("message").isnil() ? "" : result.get("message").tojstring());
    }

    private static LuaValue toLua(JsonNode v) {
        if (v.isObject()) {
            LuaTable t = new LuaTable();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                t.set(f.getKey(), toLua(f.getValue()));
            }
            return t;
        }
        if (v.isArray()) {
            LuaTable t = new LuaTable();
            for (int i = 0; i < v.size(); i++) {
                t.set(i + 1, toLua(v.get(i)));
            }
            return t;
        }
        if (v.isNull() || v.isMissingNode()) {
            return LuaValue.NIL;
        }
        if (v.isBoolean()) {
            return LuaValue.valueOf(v.asBoolean());
        }
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return LuaValue.valueOf(v.asInt());
        }
        if (v.isNumber()) {
            return LuaValue.valueOf(v.asDouble());
        }
        return LuaValue.valueOf(v.asText());
    }
}
