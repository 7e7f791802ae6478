package io.nfvlab.e2e;

import io.nfvlab.agent.process.CommandRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a chaos run may not leave in this machine's kernel once everything is deleted: host namespaces of its owners'
 * tokens, root-namespace devices carrying its node's ownership mark, and processes the killed agents had started.
 */
final class KernelLeftovers {
    private KernelLeftovers() {
    }

    static List<String> of(String node, Set<String> tokens, List<ProcessHandle> orphans) {
        List<String> out = new ArrayList<>();
        if (!tokens.isEmpty()) {
            try (Stream<Path> files = Files.list(Path.of("/run/netns"))) {
                files.map(p -> p.getFileName().toString())
                        .filter(n -> tokens.stream().anyMatch(t -> n.startsWith("nfv-" + t + "-")))
                        .sorted().forEach(n -> out.add("netns " + n));
            } catch (IOException e) {
                // no /run/netns: no namespace left either
            }
        }
        // the per-node mark nfvlab:<token>:<node>:<logical> of these owners
        String links = CommandRunner.run(List.of("ip", "-o", "link", "show"), Duration.ofSeconds(10)).stdout();
        for (String line : links.split("\n")) {
            if (tokens.stream().anyMatch(t -> line.contains("alias nfvlab:" + t + ":" + node + ":"))) {
                out.add("device " + line.split(":", 3)[1].trim());
            }
        }
        for (ProcessHandle p : orphans) {
            if (p.isAlive()) {
                out.add("process " + p.pid() + " " + p.info().commandLine().orElse("?"));
            }
        }
        return out;
    }
}
