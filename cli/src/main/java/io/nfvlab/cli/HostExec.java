package io.nfvlab.cli;

import io.nfvlab.agent.process.Command;
import io.nfvlab.agent.process.CommandRunner;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a command inside a host's network namespace, as Mininet's {@code h1 ping h2}: {@code ip netns exec NS CMD…}
 * from an argument vector, never a shell, through the agent's {@link CommandRunner}. A container host runs it inside
 * its container instead ({@code podman exec NAME CMD…}: the container's own binaries and files, as {@code r1 vtysh}
 * needs; podman reads no options after the container's name). Output is streamed as it comes
 * (not captured) because the user watches it, and it goes through the session's writers so that it interleaves
 * correctly with the prompt's own output.
 */
public final class HostExec {
    private static final Duration INTERACTIVE_LIMIT = Duration.ofHours(24);
    private static final String PODMAN = "podman";

    private HostExec() {
    }

    /** The argument vector that runs {@code command} in {@code host}'s namespace, after checking it is on this node. */
    public static List<String> argv(TopologyView view, String host, List<String> command, String localNode) {
        if (!view.hostNames().contains(host)) {
            throw CliException.failure("unknown host " + host + " in topology " + view.name()
                    + " (hosts: " + String.join(" ", view.hostNames()) + ")");
        }
        if (command == null || command.isEmpty()) {
            throw CliException.usage("exec " + host + ": give the command to run, e.g. exec " + host + " -- ip addr");
        }
        TopologyView.Placed placed = view.placement(host)
                .orElseThrow(() -> CliException.failure("host " + host + " is not placed yet (is the topology Ready?)"));
        if (placed.node() != null && localNode != null && !placed.node().equals(localNode)) {
            throw CliException.failure("host " + host + " runs on node " + placed.node() + ", this is node " + localNode
                    + ": exec works only on the node that runs the host");
        }
        if (view.graph().host(host).map(io.nfvlab.api.expansion.TopologyGraph.Host::vhostUser).orElse(false)) {
            throw CliException.failure("host " + host + " is a vhostUser host (a DPDK application's vhost-user endpoint): "
                    + "it has no network namespace to run commands in");
        }
        if (placed.netns() == null) {
            throw CliException.failure("host " + host + " has no network namespace yet (is the topology Ready?)");
        }
        io.nfvlab.api.topology.PodHostSpec pod = view.graph().host(host).map(io.nfvlab.api.expansion.TopologyGraph.Host::pod)
                .orElse(null);
        if (pod != null) {
            // the agent names the containers it starts like the host's namespace
            List<String> argv = new ArrayList<>(List.of(PODMAN, "exec", pod.getPodRef() != null ? pod.getPodRef() : placed.netns()));
            argv.addAll(command);
            return argv;
        }
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", placed.netns()));
        argv.addAll(command);
        return argv;
    }

    /** Runs the command and returns its exit code; stdin is the terminal's only when {@code interactive}. */
    public static int run(List<String> argv, PrintWriter out, PrintWriter err, boolean interactive) {
        if (argv.get(0).equals(PODMAN)) {
            if (interactive) {
                argv = new ArrayList<>(argv);
                argv.add(2, "-i");
            }
        } else {
            String netns = argv.get(3);
            if (!Files.exists(Path.of("/run/netns", netns))) {
                throw CliException.failure("network namespace " + netns + " does not exist on this machine");
            }
        }
        if (!HostInfo.isRoot()) {
            throw new CliException(ExitCodes.NOT_ROOT, "exec needs root (it enters a network namespace or a container): run it with sudo");
        }
        // the user watches and can interrupt it; the limit only ends a command left running unattended
        // and in the user's own environment (locale included), not the agent's LC_ALL=C
        Command command = Command.of(argv, INTERACTIVE_LIMIT).withEnvironment(System.getenv());
        CommandRunner.Running p;
        try {
            p = CommandRunner.start(interactive ? command.withTerminalInput() : command, to(out), to(err));
        } catch (IOException e) {
            throw CliException.failure("cannot start " + argv.get(0) + ": " + e.getMessage());
        }
        try {
            return p.waitFor();
        } catch (InterruptedException ie) {
            p.close();
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERRUPTED, "interrupted");
        }
    }

    private static Consumer<String> to(PrintWriter writer) {
        return chunk -> {
            synchronized (writer) {
                writer.write(chunk);
                writer.flush();
            }
        };
    }
}
