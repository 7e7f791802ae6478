package io.nfvlab.cni;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and broken invocations: every one must get a CNI error object (with one of the spec's codes) and a
 * non-zero exit, and none may create a file. None reaches OVS or IPAM: validation comes first.
 */
class CniMalformedInputTest {
    @TempDir
    Path root;

    record Case(String name, Map<String, String> env, String stdin, int code) {
    }

    private List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        String valid = Json.write(CniFixtures.config("mal-net", "nvdkm0", root));
        Map<String, String> env = CniFixtures.env("ADD", "c0ffee", "/var/run/netns/none", "net1");

        // not JSON at all, or not an object
        List<String> garbage = List.of("", " ", "{", "}", "[", "[]", "null", "true", "42", "\"str\"", "{\"a\":}", "{\"a\" 1}",
                "{'cniVersion':'1.1.0'}", "{\"cniVersion\":\"1.1.0\",}", "{\"a\":1}{\"b\":2}", "{\"a\":tru}", "{\"a\":01}",
                "{\"a\":\"\\x\"}", "{\"a\":\"\u0001\"}", "{\"a\":1.}", "{\"a\":-}", "\u0000", "{\"a\":\"\\u12\"}",
                valid.substring(0, valid.length() / 2), valid + "x", "{".repeat(100) + "}".repeat(100),
                "{\"cniVersion\":\"1.1.0\",\"cniVersion\":\"1.0.0\"}", "\uFEFF" + valid, valid.replace(":", "="),
                "{\"name\":\"n\",\"name\":\"m\"}");
        for (String g : garbage) {
            cases.add(new Case("garbage " + g.length(), env, g, CniException.DECODE_FAILURE));
        }
        // fields missing or of the wrong type, one at a time
        for (String field : List.of("cniVersion", "name", "type", "host")) {
            cases.add(new Case("missing " + field, env, mutate(c -> c.remove(field)), field.equals("cniVersion")
                    ? CniException.INVALID_NETWORK_CONFIG : CniException.INVALID_NETWORK_CONFIG));
        }
        List<Object> wrongValues = List.of(1, 1.5, true, List.of(), Map.of(), List.of("x"));
        for (String field : List.of("cniVersion", "name", "type", "sharedDir", "stateDir")) {
            for (Object v : wrongValues) {
                cases.add(new Case("wrong type " + field + "=" + v, env, mutate(c -> c.put(field, v)), CniException.DECODE_FAILURE));
            }
        }
        for (String field : List.of("host", "container", "ipam")) {
            for (Object v : List.of(1, "x", true, List.of())) {
                cases.add(new Case("wrong type " + field + "=" + v, env, mutate(c -> c.put(field, v)), CniException.DECODE_FAILURE));
            }
        }
        for (String field : List.of("engine", "iftype", "netType")) {
            for (Object v : List.of(1, false, List.of(), Map.of())) {
                cases.add(new Case("wrong type host." + field, env, mutate(c -> host(c).put(field, v)), CniException.DECODE_FAILURE));
            }
        }
        cases.add(new Case("host.bridge a string", env, mutate(c -> host(c).put("bridge", "br0")), CniException.DECODE_FAILURE));
        cases.add(new Case("bridgeName a number", env, mutate(c -> host(c).put("bridge", Map.of("bridgeName", 7))), CniException.DECODE_FAILURE));
        cases.add(new Case("vhost a list", env, mutate(c -> host(c).put("vhost", List.of())), CniException.DECODE_FAILURE));
        cases.add(new Case("ipam.type a number", env, mutate(c -> c.put("ipam", Map.of("type", 3))), CniException.DECODE_FAILURE));
        // values the plugin does not accept
        cases.add(new Case("old version", env, mutate(c -> c.put("cniVersion", "0.2.0")), CniException.INCOMPATIBLE_VERSION));
        cases.add(new Case("future version", env, mutate(c -> c.put("cniVersion", "9.9.9")), CniException.INCOMPATIBLE_VERSION));
        for (String engine : List.of("vpp", "kernel", "", "ovs-dpdk; rm -rf /", "OVS-DPDK")) {
            cases.add(new Case("engine " + engine, env, mutate(c -> host(c).put("engine", engine)), CniException.INVALID_NETWORK_CONFIG));
        }
        cases.add(new Case("iftype memif", env, mutate(c -> host(c).put("iftype", "memif")), CniException.INVALID_NETWORK_CONFIG));
        cases.add(new Case("netType interface", env, mutate(c -> host(c).put("netType", "interface")), CniException.INVALID_NETWORK_CONFIG));
        cases.add(new Case("no bridge", env, mutate(c -> host(c).remove("bridge")), CniException.INVALID_NETWORK_CONFIG));
        cases.add(new Case("both servers", env, mutate(c -> host(c).put("vhost", Map.of("mode", "server"))), CniException.INVALID_NETWORK_CONFIG));
        cases.add(new Case("mode sideways", env, mutate(c -> host(c).put("vhost", Map.of("mode", "sideways"))), CniException.INVALID_NETWORK_CONFIG));
        cases.add(new Case("container engine", env, mutate(c -> container(c).put("engine", "docker")), CniException.INVALID_NETWORK_CONFIG));
        cases.add(new Case("ipam without type", env, mutate(c -> c.put("ipam", Map.of("subnet", "10.0.0.0/24"))), CniException.INVALID_NETWORK_CONFIG));
        cases.add(new Case("ipam not found", env, mutate(c -> c.put("ipam", Map.of("type", "no-such-ipam"))), -1));
        List<String> hostileNames = List.of("../../etc", "br0;reboot", "$(id)", "`id`", "a b", "br\u0000x", "x".repeat(16),
                "-br", "br|cat", "br&&ls", "br\nx", "/br", "br'", "br\"", "br>x", "br*", ".");
        for (String name : hostileNames) {
            cases.add(new Case("bridge " + name, env, mutate(c -> host(c).put("bridge", Map.of("bridgeName", name))),
                    CniException.INVALID_NETWORK_CONFIG));
            if (name.length() > 15) {
                continue; // long network and plugin names are fine; long bridge names are not
            }
            cases.add(new Case("network " + name, env, mutate(c -> c.put("name", name)), CniException.INVALID_NETWORK_CONFIG));
            cases.add(new Case("ipam.type " + name, env, mutate(c -> c.put("ipam", Map.of("type", name))), CniException.INVALID_NETWORK_CONFIG));
        }
        for (String dir : List.of("relative/dir", "/tmp/../etc", "/tmp/a b", "/tmp/$(id)", "/tmp/a;b", "/tmp//x", "")) {
            if (!dir.isEmpty()) {
                cases.add(new Case("sharedDir " + dir, env, mutate(c -> c.put("sharedDir", dir)), CniException.INVALID_NETWORK_CONFIG));
                cases.add(new Case("stateDir " + dir, env, mutate(c -> c.put("stateDir", dir)), CniException.INVALID_NETWORK_CONFIG));
            }
        }
        // hostile or missing environment
        List<String> hostileIds = List.of("../../etc", "/etc/passwd", "-rf", "_x", ".hidden", "a/b", "a b", "a;b", "$(reboot)",
                "`reboot`", "a\u0000b", "a\nb", "ä", "a|b", "a&b", "a>b", "a*", "a?", "a\"b", "a'b", "a\\b", "");
        for (String cid : hostileIds) {
            for (String cmd : List.of("ADD", "DEL", "CHECK")) {
                Map<String, String> e = new java.util.HashMap<>(env);
                e.put("CNI_COMMAND", cmd);
                e.put("CNI_CONTAINERID", cid);
                cases.add(new Case(cmd + " container id " + cid, e, valid, CniException.INVALID_ENVIRONMENT));
            }
        }
        List<String> hostileIfnames = List.of("../../etc", "a/b", "eth0:1", "a b", "x".repeat(16), ".", "..", "a\u0000", "a\tb", "a\nb", "");
        for (String ifname : hostileIfnames) {
            for (String cmd : List.of("ADD", "DEL")) {
                Map<String, String> e = new java.util.HashMap<>(env);
                e.put("CNI_COMMAND", cmd);
                e.put("CNI_IFNAME", ifname);
                cases.add(new Case(cmd + " ifname " + ifname, e, valid, CniException.INVALID_ENVIRONMENT));
            }
        }
        for (String var : List.of("CNI_COMMAND", "CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS", "CNI_PATH")) {
            Map<String, String> e = new java.util.HashMap<>(env);
            e.remove(var);
            cases.add(new Case("no " + var, e, valid, CniException.INVALID_ENVIRONMENT));
        }
        for (String command : List.of("add", "ADD ", "DELETE", "rm -rf", "ADD;DEL", "\u0000")) {
            Map<String, String> e = new java.util.HashMap<>(env);
            e.put("CNI_COMMAND", command);
            cases.add(new Case("command " + command, e, valid, CniException.INVALID_ENVIRONMENT));
        }
        for (String netns : List.of("relative", "netns\u0000x")) {
            Map<String, String> e = new java.util.HashMap<>(env);
            e.put("CNI_NETNS", netns);
            cases.add(new Case("netns " + netns, e, valid, CniException.INVALID_ENVIRONMENT));
        }
        Map<String, String> longId = new java.util.HashMap<>(env);
        longId.put("CNI_CONTAINERID", "a".repeat(299) + "/");
        cases.add(new Case("300-char id with slash", longId, valid, CniException.INVALID_ENVIRONMENT));
        return cases;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> host(Map<String, Object> c) {
        return (Map<String, Object>) c.get("host");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(Map<String, Object> c) {
        return (Map<String, Object>) c.get("container");
    }

    private String mutate(Consumer<Map<String, Object>> change) {
        Map<String, Object> conf = CniFixtures.config("mal-net", "nvdkm0", root);
        change.accept(conf);
        return Json.write(conf);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyMalformedInvocationGetsACniErrorObjectAndLeavesNothing() throws IOException {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(200);
        System.out.println(cases.size() + " malformed invocations");
        for (Case c : cases) {
            CniPlugin.Outcome out = CniPlugin.execute(c.env(), c.stdin());
            assertThat(out.exitCode()).as(c.name()).isNotZero();
            Object parsed;
            try {
                parsed = Json.parse(out.stdout());
            } catch (Json.ParseException e) {
                throw new AssertionError(c.name() + ": not JSON: " + out.stdout());
            }
            assertThat(parsed).as(c.name()).isInstanceOf(Map.class);
            Map<?, ?> error = (Map<?, ?>) parsed;
            assertThat(List.copyOf((java.util.Set<Object>) error.keySet())).as(c.name()).contains("cniVersion", "code", "msg");
            assertThat(((String) error.get("msg")).lines().count()).as(c.name() + " one-line message").isEqualTo(1);
            if (c.code() > 0) {
                assertThat(((Number) error.get("code")).intValue()).as(c.name() + ": " + error.get("msg")).isEqualTo(c.code());
            }
        }
        try (Stream<Path> left = Files.walk(root)) {
            assertThat(left.filter(p -> !p.equals(root)).toList()).as("files created by malformed calls").isEmpty();
        }
    }

    @Test
    void versionNeedsNoConfiguration() {
        CniPlugin.Outcome out = CniPlugin.execute(Map.of("CNI_COMMAND", "VERSION"), "");
        assertThat(out.exitCode()).isZero();
        assertThat(out.stdout()).contains("\"supportedVersions\"").contains("1.1.0");
    }

    @Test
    void longContainerIdsGetHashedShortNames() {
        String id = "a".repeat(300);
        assertThat(Names.port(id, "net1")).hasSize(15).startsWith("nvc");
        assertThat(Names.containerDir(id)).hasSizeLessThan(64);
        assertThat(Names.stateFile("n", id, "net1")).hasSize(45);
        assertThat(Names.port(id, "net1")).isNotEqualTo(Names.port(id, "net2"));
        assertThat(CniPlugin.socketName(id, "net1", "nvcx")).isEqualTo("aaaaaaaaaaaa-net1");
        assertThat(CniPlugin.socketName("abc", "n*t", "nvcx")).isEqualTo("nvcx");
    }

    @Test
    void sha256MatchesTheJdk() throws Exception {
        var jdk = java.security.MessageDigest.getInstance("SHA-256");
        for (String text : List.of("", "abc", "a".repeat(55), "a".repeat(56), "a".repeat(64), "x".repeat(300) + "\u0000net1", "ünï")) {
            String expected = java.util.HexFormat.of().formatHex(jdk.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(Sha256.hex(text)).as(text).isEqualTo(expected);
        }
    }

    @Test
    void jsonRoundTrips() throws Json.ParseException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\n\u0001");
        m.put("n", 12L);
        m.put("l", List.of(true, false));
        m.put("z", null);
        assertThat(Json.parse(Json.write(m))).isEqualTo(m);
    }
}
