package io.nfvlab.agent.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.Nfvlab;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What nfvlab put into a pod sandbox's network namespace, taken out again when the sandbox goes (CNI DEL): the
 * interfaces carrying nfvlab's ifalias mark, and the /run/netns names (nfv-&lt;token&gt;-&lt;host&gt;) that point at
 * it. The pod's own interfaces stay. Shell equivalent, per name N: {@code ip -n N link del DEV} for each marked DEV,
 * then {@code ip netns del N}.
 */
public final class SandboxInterfaces {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private final Path runNetns;

    public SandboxInterfaces() {
        this(Path.of("/run/netns"));
    }

    SandboxInterfaces(Path runNetns) {
        this.runNetns = runNetns;
    }

    /** The nfvlab namespace names that are the namespace at {@code netns}. */
    public List<String> namesOf(Path netns) {
        List<String> out = new ArrayList<>();
        Long target = inode(netns);
        if (target == null || !Files.isDirectory(runNetns)) {
            return out;
        }
        try (DirectoryStream<Path> names = Files.newDirectoryStream(runNetns, Nfvlab.NETNS_PREFIX + "*")) {
            for (Path p : names) {
                if (target.equals(inode(p))) {
                    out.add(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Removes nfvlab's interfaces from the namespace at {@code netns} and drops its nfvlab names; returns what went. */
    public List<String> release(Path netns) throws ContainerRuntime.RuntimeFailure {
        List<String> removed = new ArrayList<>();
        for (String name : namesOf(netns)) {
            CommandRunner.Result links = CommandRunner.run(List.of("ip", "-n", name, "-j", "link", "show"), TIMEOUT);
            if (links.ok()) {
                try {
                    for (JsonNode l : JSON.readTree(links.stdout().isBlank() ? "[]" : links.stdout())) {
                        String dev = l.path("ifname").asText();
                        if (io.nfvlab.api.node.KernelNames.parseIfalias(l.path("ifalias").asText("")) != null && !dev.isEmpty()) {
                            // lo cannot go: the agent marked it when it configured the namespace; only the mark goes
                            List<String> argv = dev.equals("lo") ? List.of("ip", "-n", name, "link", "set", "dev", "lo", "alias", "")
                                    : List.of("ip", "-n", name, "link", "del", "dev", dev);
                            CommandRunner.Result del = CommandRunner.run(argv, TIMEOUT);
                            // gone in between (the agent tearing the topology down at the same time) is what was asked
                            if (!del.ok() && !del.stderr().contains("Cannot find device")) {
                                throw new ContainerRuntime.RuntimeFailure("cannot remove " + dev + " from " + name + ": " + del.firstErrorLine());
                            }
                            if (!dev.equals("lo")) {
                                removed.add(name + ":" + dev);
                            }
                        }
                    }
                } catch (IOException e) {
                    throw new ContainerRuntime.RuntimeFailure("ip printed no JSON for " + name + ": " + e.getMessage());
                }
            }
            CommandRunner.Result r = CommandRunner.run(List.of("ip", "netns", "del", name), TIMEOUT);
            if (!r.ok() && Files.exists(runNetns.resolve(name))) {
                throw new ContainerRuntime.RuntimeFailure("cannot drop the namespace name " + name + ": " + r.firstErrorLine());
            }
        }
        return removed;
    }

    private static Long inode(Path p) {
        try {
            return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
