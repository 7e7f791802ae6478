package io.nfvlab.cni;

import io.nfvlab.agent.cni.CniWire;
import io.nfvlab.agent.cni.CniException;
import io.nfvlab.agent.cni.CniRoots;
import io.nfvlab.agent.cni.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
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
 * non-zero exit, and none may create a file. None reaches OVS or IPAM: validation comes first. Each goes the way a
 * runtime's call goes: the executable, the agent's socket, the plugin logic in the agent. An environment value with
 * a NUL cannot be passed to a process at all; those go to the agent's socket directly, as a hostile local client
 * could send them.
 */
class CniMalformedInputTest {
    @TempDir
    Path root;
    private InProcessAgent agent;

    @BeforeEach
    void startAgent() {
        agent = new InProcessAgent(root);
    }

    @AfterEach
    void stopAgent() throws IOException {
        agent.close();
    }

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
        cases.add(new Case("ipam not supported", env, mutate(c -> c.put("ipam", Map.of("type", "no-such-ipam"))), CniException.INVALID_NETWORK_CONFIG));
        cases.add(new Case("ipam dhcp", env, mutate(c -> c.put("ipam", Map.of("type", "dhcp"))), CniException.INVALID_NETWORK_CONFIG));
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
    private static Map<String, Object> ipam(Map<String, Object> c) {
        return (Map<String, Object>) c.get("ipam");
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

    /** What the executable prints and how it exits; straight over the socket where a process cannot carry the env. */
    private CniExecutable.Run invoke(Map<String, String> env, String stdin) throws Exception {
        boolean processSafe = env.entrySet().stream().noneMatch(e -> e.getKey().indexOf('\0') >= 0 || e.getValue().indexOf('\0') >= 0);
        if (processSafe) {
            return agent.run(env, stdin);
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(agent.socket()));
            ch.write(ByteBuffer.wrap(CniWire.request(env, stdin.getBytes(StandardCharsets.UTF_8))));
            ByteBuffer header = ByteBuffer.allocate(CniWire.HEADER_BYTES);
            while (header.hasRemaining() && ch.read(header) >= 0) {
                // until the header is in
            }
            ByteBuffer frame = ByteBuffer.allocate(CniWire.HEADER_BYTES + header.getInt(4)).put(header.flip());
            while (frame.hasRemaining() && ch.read(frame) >= 0) {
                // until the body is in
            }
            CniWire.Reply reply = CniWire.parseReply(frame.flip());
            byte[] out = reply.stdout();
            return new CniExecutable.Run(reply.exitCode(), new String(out, StandardCharsets.UTF_8),
                    new String(reply.stderr(), StandardCharsets.UTF_8), out);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyMalformedInvocationGetsACniErrorObjectAndLeavesNothing() throws Exception {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(200);
        long start = System.nanoTime();
        int direct = 0;
        for (Case c : cases) {
            CniExecutable.Run out = invoke(c.env(), c.stdin());
            direct += c.env().values().stream().anyMatch(v -> v.indexOf('\0') >= 0) ? 1 : 0;
            assertThat(out.exitCode()).as(c.name()).isNotZero();
            assertThat(out.stdout()).as(c.name() + ": one line").endsWith("\n").hasLineCount(1);
            Object parsed;
            try {
                parsed = Json.parse(out.stdout().strip());
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
        System.out.printf("%d malformed invocations (%d straight to the socket) in %.1f s%n", cases.size(), direct,
                (System.nanoTime() - start) / 1e9);
        try (Stream<Path> left = Files.walk(root)) {
            assertThat(left.filter(p -> !p.equals(root)).toList()).as("files created by malformed calls").isEmpty();
        }
    }

    /**
     * A network configuration is written by namespace tenants (a NetworkAttachmentDefinition): its sharedDir and
     * stateDir may not lead the root agent out of the roots of its own configuration, by path or by symbolic link.
     */
    @Test
    void networkConfigDirectoriesOutsideTheAgentsRootsAreRefusedWithACniError(@TempDir Path outside) throws Exception {
        CniRoots roots = CniRoots.under(root);
        Path elsewhere = outside.resolve("target");
        Files.createDirectories(elsewhere);
        Files.createDirectories(roots.shared());
        Files.createDirectories(roots.state());
        Files.createSymbolicLink(roots.shared().resolve("link"), elsewhere);
        Files.createSymbolicLink(roots.state().resolve("link"), elsewhere);
        Map<String, String> field = new LinkedHashMap<>();
        for (String dir : List.of("/etc", "/", "/var/run/nfvlab/cni/vhostuser", root.toString(), root + "/shared2",
                roots.state().toString(), elsewhere.toString())) {
            field.put("sharedDir=" + dir, "sharedDir");
        }
        for (String dir : List.of("/etc/cni", "/var/lib/cni/nfvlab", root + "/state-x", roots.shared().toString(), elsewhere.toString())) {
            field.put("stateDir=" + dir, "stateDir");
        }
        field.put("sharedDir=" + roots.shared().resolve("link"), "sharedDir");
        field.put("sharedDir=" + roots.shared().resolve("link/deeper"), "sharedDir");
        field.put("stateDir=" + roots.state().resolve("link"), "stateDir");
        for (var e : field.entrySet()) {
            String key = e.getKey().substring(0, e.getKey().indexOf('='));
            String dir = e.getKey().substring(key.length() + 1);
            // a path through a link is within the roots as text: ADD, the one command that creates, looks at the links
            for (String command : dir.contains("link") ? List.of("ADD") : List.of("ADD", "DEL", "CHECK")) {
                CniExecutable.Run out = agent.run(CniFixtures.env(command, "c0ffee", "/var/run/netns/none", "net1"),
                        mutate(c -> c.put(key, dir)));
                assertThat(out.exitCode()).as(command + " " + e.getKey()).isEqualTo(1);
                assertThat(out.errorCode()).as(command + " " + e.getKey() + ": " + out.stdout()).isEqualTo(CniException.INVALID_NETWORK_CONFIG);
                assertThat(out.stdout()).as(command + " " + e.getKey()).contains("\"msg\":\"" + e.getValue());
            }
        }
        try (Stream<Path> left = Files.walk(outside)) {
            assertThat(left.filter(p -> !p.equals(outside) && !p.equals(elsewhere)).toList()).as("written through a link").isEmpty();
        }
        try (Stream<Path> left = Files.walk(root)) {
            assertThat(left.filter(p -> !p.equals(root) && !p.equals(roots.shared()) && !p.equals(roots.state())
                    && !p.getFileName().toString().equals("link")).toList()).as("files created by refused calls").isEmpty();
        }
    }

    /**
     * host-local runs as root and writes where {@code ipam.dataDir} says: outside the agent's IPAM root, or through a
     * symbolic link below it, is refused before host-local runs (a real one, where the runtime's CNI_PATH has it).
     */
    @Test
    void ipamDataDirOutsideTheAgentsIpamRootIsRefusedWithACniError(@TempDir Path outside) throws Exception {
        CniRoots roots = CniRoots.under(root);
        Path elsewhere = Files.createDirectories(outside.resolve("target"));
        Files.createDirectories(roots.ipam());
        Files.createSymbolicLink(roots.ipam().resolve("link"), elsewhere);
        // the network's own directory a link: host-local writes in <dataDir>/<network>
        Files.createDirectories(roots.ipam().resolve("linked-net"));
        Files.createSymbolicLink(roots.ipam().resolve("linked-net").resolve("mal-net"), elsewhere);
        List<String> dirs = List.of(elsewhere.toString(), "/var/lib/cni/networks", root.toString(), root + "/ipam2",
                roots.state().toString(), roots.shared().toString());
        List<String> linked = List.of(roots.ipam().resolve("link").toString(), roots.ipam().resolve("link/deeper").toString(),
                roots.ipam().resolve("linked-net").toString());
        for (String dir : Stream.concat(dirs.stream(), linked.stream()).toList()) {
            // a path through a link is within the root as text: ADD, the one command that creates, looks at the links first
            for (String command : linked.contains(dir) ? List.of("ADD") : List.of("ADD", "DEL", "CHECK")) {
                Map<String, String> env = CniFixtures.env(command, "c0ffee", "/var/run/netns/none", "net1");
                CniExecutable.Run out = agent.run(env, mutate(c -> ipam(c).put("dataDir", dir)));
                assertThat(out.exitCode()).as(command + " " + dir).isEqualTo(1);
                assertThat(out.errorCode()).as(command + " " + dir + ": " + out.stdout()).isEqualTo(CniException.INVALID_NETWORK_CONFIG);
                assertThat(out.stdout()).as(command + " " + dir).contains("\"msg\":\"ipam.dataDir");
            }
        }
        try (Stream<Path> left = Files.walk(outside)) {
            assertThat(left.filter(p -> !p.equals(outside) && !p.equals(elsewhere)).toList()).as("written by host-local outside its root")
                    .isEmpty();
        }
        try (Stream<Path> left = Files.walk(root)) {
            assertThat(left.filter(p -> !p.equals(root) && !p.startsWith(roots.ipam())).toList()).as("files created by refused calls")
                    .isEmpty();
        }
        try (Stream<Path> left = Files.walk(roots.ipam())) {
            assertThat(left.filter(p -> !p.equals(roots.ipam()) && !p.startsWith(roots.ipam().resolve("link"))
                    && !p.startsWith(roots.ipam().resolve("linked-net"))).toList()).as("reservations made by refused calls").isEmpty();
        }
    }

    @Test
    void versionNeedsNoConfiguration() throws Exception {
        CniExecutable.Run out = agent.run(Map.of("CNI_COMMAND", "VERSION"), "");
        assertThat(out.exitCode()).isZero();
        assertThat(out.stdout()).contains("\"supportedVersions\"").contains("1.1.0").endsWith("}\n");
    }
}
