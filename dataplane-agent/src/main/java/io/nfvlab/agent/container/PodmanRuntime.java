package io.nfvlab.agent.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nfvlab.agent.process.CommandRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ContainerRuntime} through Debian's podman 4.3, which runs here with runc, cgroupfs and the CNI backend
 * (shared/PLATFORM.md). Containers get {@code --network none}: a network namespace of their own holding only lo, into
 * which the agent moves the links. Every value reaches podman as the argument of an option or after the image, where
 * podman parses no options; the image itself never starts with "-" (PlanCheck).
 */
public final class PodmanRuntime implements ContainerRuntime {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final List<String> podman;

    /** @param podman the command and global options, e.g. {@code [podman]} or {@code [podman, --root, DIR, …]} */
    public PodmanRuntime(List<String> podman) {
        this.podman = List.copyOf(podman);
    }

    public static PodmanRuntime system() {
        return new PodmanRuntime(List.of("podman"));
    }

    @Override
    public String name() {
        return "podman";
    }

    @Override
    public boolean available() {
        try {
            return CommandRunner.run(argv("version", "--format", "{{.Client.Version}}"), Duration.ofSeconds(20)).ok();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public List<Container> list(String labelKey, String labelValue) throws RuntimeFailure {
        CommandRunner.Result r = run(argv("ps", "-a", "--filter", "label=" + labelKey + "=" + labelValue, "--format", "json"));
        List<Container> out = new ArrayList<>();
        for (JsonNode c : parse(r.stdout())) {
            String name = c.path("Names").path(0).asText();
            boolean running = "running".equals(c.path("State").asText());
            out.add(new Container(name, running, running ? c.path("Pid").asLong() : 0,
                    c.has("ExitCode") ? c.path("ExitCode").asInt() : null, labels(c.path("Labels"))));
        }
        return out;
    }

    @Override
    public Optional<Container> inspect(String name) throws RuntimeFailure {
        CommandRunner.Result r = CommandRunner.run(argv("container", "inspect", "--format", "json", name), TIMEOUT);
        if (!r.ok()) {
            if (r.stderr().contains("no such container")) {
                return Optional.empty();
            }
            throw new RuntimeFailure("podman inspect " + name + ": " + r.firstErrorLine());
        }
        JsonNode all = parse(r.stdout());
        if (all.isEmpty()) {
            return Optional.empty();
        }
        JsonNode c = all.get(0);
        JsonNode state = c.path("State");
        boolean running = state.path("Running").asBoolean();
        return Optional.of(new Container(c.path("Name").asText(name), running, running ? state.path("Pid").asLong() : 0,
                state.has("ExitCode") ? state.path("ExitCode").asInt() : null, labels(c.path("Config").path("Labels"))));
    }

    @Override
    public void run(RunSpec spec) throws RuntimeFailure {
        List<String> a = argv("run", "-d", "--name", spec.name(), "--network", "none", "--pull", "never",
                // podman's default open-files limit exceeds what a process started from the agent may hand on
                "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024");
        spec.labels().forEach((k, v) -> a.addAll(List.of("--label", k + "=" + v)));
        spec.env().forEach((k, v) -> a.addAll(List.of("--env", k + "=" + v)));
        spec.sysctls().forEach((k, v) -> a.addAll(List.of("--sysctl", k + "=" + v)));
        spec.capabilities().forEach(c -> a.addAll(List.of("--cap-add", c)));
        if (spec.privileged()) {
            a.add("--privileged");
        }
        if (!spec.command().isEmpty()) {
            try {
                a.addAll(List.of("--entrypoint", JSON.writeValueAsString(spec.command())));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new RuntimeFailure("cannot encode the command of " + spec.name() + ": " + e.getMessage());
            }
        }
        a.add(spec.image());
        a.addAll(spec.args());
        CommandRunner.Result r = CommandRunner.run(a, TIMEOUT);
        if (!r.ok()) {
            // a failed start can leave a created container behind: remove it so that the next sync starts afresh
            CommandRunner.run(argv("rm", "-f", "--ignore", "-t", "0", spec.name()), TIMEOUT);
            String err = r.stderr() + r.stdout();
            if (err.contains("image not known") || err.contains("no such image")) {
                throw new RuntimeFailure("image " + spec.image() + " is not on this node (nfvlab never pulls: podman load an "
                        + "archive or build the image here)");
            }
            throw new RuntimeFailure("podman could not start " + spec.name() + ": " + r.firstErrorLine());
        }
    }

    @Override
    public void remove(List<String> names) throws RuntimeFailure {
        if (names.isEmpty()) {
            return;
        }
        // --ignore: a container already gone is what was asked for
        List<String> a = argv("rm", "-f", "--ignore", "-t", "0");
        a.addAll(names);
        CommandRunner.Result r = CommandRunner.run(a, TIMEOUT);
        if (!r.ok()) {
            throw new RuntimeFailure("podman rm " + String.join(" ", names) + ": " + r.firstErrorLine());
        }
    }

    @Override
    public List<String> execArgv(String name, List<String> command) {
        List<String> a = argv("exec", name);
        a.addAll(command);
        return a;
    }

    private List<String> argv(String... rest) {
        List<String> a = new ArrayList<>(podman);
        a.addAll(List.of(rest));
        return a;
    }

    private static CommandRunner.Result run(List<String> argv) throws RuntimeFailure {
        CommandRunner.Result r = CommandRunner.run(argv, TIMEOUT);
        if (!r.ok()) {
            throw new RuntimeFailure(r.describe());
        }
        return r;
    }

    private static JsonNode parse(String json) throws RuntimeFailure {
        try {
            JsonNode n = JSON.readTree(json.isBlank() ? "[]" : json);
            return n == null || n.isNull() ? JSON.createArrayNode() : n;
        } catch (java.io.IOException e) {
            throw new RuntimeFailure("podman printed no JSON: " + e.getMessage());
        }
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
