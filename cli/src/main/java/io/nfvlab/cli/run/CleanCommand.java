package io.nfvlab.cli.run;

import io.nfvlab.agent.kernel.NodeDataplane;
import io.nfvlab.agent.kernel.linux.LinuxKernel;
import io.nfvlab.agent.ovs.OvsdbClient;
import io.nfvlab.agent.ovsdpdk.OvsDpdkBridges;
import io.nfvlab.cli.CliException;
import io.nfvlab.cli.ExitCodes;
import io.nfvlab.cli.HostInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Mininet's {@code mn -c}: removes what {@code nfvlab run}s that were killed left on this machine. Only objects marked
 * by nfvlab for this machine's node are candidates, and of those only the ones whose owner no live run holds (its
 * lock, see {@link RunLock}): a run in progress keeps everything. A run that ends, even by Ctrl-C, removes its own; a
 * run killed outright (SIGKILL, out of memory) cannot, and its objects stay until this or a run of the same topology.
 */
@Command(name = "clean", description = "Remove what killed `nfvlab run`s left on this machine (Mininet's mn -c): "
        + "namespaces, links, bridges, OVS and DPDK bridges marked by nfvlab whose run is gone. A run in progress is "
        + "left alone.")
public class CleanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--force", description = "clean even while an nfvlab agent of a cluster runs on this machine "
            + "(its topologies would look abandoned here and be removed)")
    boolean force;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!HostInfo.isRoot()) {
            throw new CliException(ExitCodes.NOT_ROOT, "clean needs root (it deletes network namespaces and OVS bridges): run it with sudo");
        }
        Optional<Long> agent = clusterAgent(Path.of("/proc"));
        if (agent.isPresent() && !force) {
            throw CliException.failure("an nfvlab agent (pid " + agent.get() + ") runs on this machine: what it built for"
                    + " its cluster is not held by any `nfvlab run` and would be removed; delete those resources with kubectl,"
                    + " or pass --force");
        }
        String node = HostInfo.nodeName();
        Set<String> live = RunLock.heldTokens();
        Set<String> swept = new TreeSet<>();
        NodeDataplane dataplane = LinuxKernel.dataplane().open(node, null);
        try {
            swept.addAll(dataplane.sweepOrphans(live));
        } finally {
            dataplane.close();
        }
        if (Files.exists(OvsdbClient.DEFAULT_SOCKET)) {
            swept.addAll(new OvsDpdkBridges().sweepOrphans(node, live));
        }
        int kubeconfigs = removeDeadKubeconfigs(Path.of("/run/nfvlab"));
        if (kubeconfigs > 0) {
            out.println("*** Removed " + kubeconfigs + " kubeconfig(s) of runs that are gone");
        }
        if (swept.isEmpty()) {
            out.println("*** Nothing to clean" + (live.isEmpty() ? "" : " (runs in progress left alone: " + live.size() + " owner(s))"));
        } else {
            out.println("*** Removed what " + swept.size() + " owner(s) left behind: " + String.join(" ", swept)
                    + (live.isEmpty() ? "" : "; runs in progress left alone"));
        }
        out.flush();
        return 0;
    }

    /** Deletes the kubeconfig-PID files (each holds its run's API token) whose process is gone; returns how many. */
    static int removeDeadKubeconfigs(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.matches("kubeconfig-[0-9]{1,10}") && ProcessHandle.of(Long.parseLong(name.substring(11))).isEmpty()) {
                    removed += Files.deleteIfExists(f) ? 1 : 0;
                }
            }
        } catch (IOException e) {
            throw CliException.failure("cannot clean " + dir + ": " + e.getMessage());
        }
        return removed;
    }

    /** The pid of a process running the agent's main class or jar (a cluster's DaemonSet pod on this node), if any. */
    static Optional<Long> clusterAgent(Path proc) {
        try (Stream<Path> pids = Files.list(proc)) {
            return pids.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                            return cmdline.contains("io.nfvlab.agent.AgentMain") || cmdline.contains("nfvlab-agent.jar");
                        } catch (IOException | RuntimeException e) {
                            return false; // gone meanwhile, or not ours to read
                        }
                    })
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
