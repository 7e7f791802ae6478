package io.nfvlab.agent.container;

import io.nfvlab.agent.process.CommandRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Gives a container's network namespace a name under /run/netns, so that links, addresses, shaping and traffic treat
 * a container host like any host namespace. A container that restarted has a new namespace: the name then points at
 * the old one, which {@link #attachedTo} notices by comparing namespace inodes.
 */
public class NetnsAttacher {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final java.util.regex.Pattern PROC_NETNS = java.util.regex.Pattern.compile("^/proc/([0-9]{1,10})/ns/net$");
    private final Path runNetns;
    private final Path proc;

    public NetnsAttacher() {
        this(Path.of("/run/netns"), Path.of("/proc"));
    }

    NetnsAttacher(Path runNetns, Path proc) {
        this.runNetns = runNetns;
        this.proc = proc;
    }

    /** Whether the name exists and is the network namespace of process {@code pid}. */
    public boolean attachedTo(String name, long pid) {
        Long named = inode(runNetns.resolve(name));
        return named != null && named.equals(inode(proc.resolve(Long.toString(pid)).resolve("ns/net")));
    }

    /** Whether the name exists and is the network namespace at {@code netns} (/proc/PID/ns/net or a bound sandbox). */
    public boolean attachedTo(String name, Path netns) {
        Long named = inode(runNetns.resolve(name));
        return named != null && named.equals(inode(netns));
    }

    /**
     * Names the network namespace at {@code netns}: a process's ({@code /proc/PID/ns/net}: {@code ip netns attach NAME
     * PID}) or a pod sandbox's that nfvlab's CNI bound under the agent's root ({@code mount --bind}, which is what
     * {@code ip netns attach} does with the process's file).
     */
    public void attach(String name, Path netns) throws ContainerRuntime.RuntimeFailure {
        java.util.regex.Matcher pid = PROC_NETNS.matcher(netns.toString());
        if (pid.matches()) {
            attach(name, Long.parseLong(pid.group(1)));
            return;
        }
        Path target = runNetns.resolve(name);
        try {
            Files.createDirectories(runNetns);
            Files.createFile(target);
        } catch (IOException e) {
            throw new ContainerRuntime.RuntimeFailure("cannot create " + target + ": " + e.getMessage());
        }
        CommandRunner.Result r = CommandRunner.run(java.util.List.of("mount", "--bind", netns.toString(), target.toString()), TIMEOUT);
        if (!r.ok()) {
            try {
                Files.deleteIfExists(target);
            } catch (IOException ignored) {
                // nothing is mounted on it: an empty file that the next attach replaces
            }
            throw new ContainerRuntime.RuntimeFailure("cannot name the network namespace " + netns + " " + name + ": " + r.firstErrorLine());
        }
    }

    public boolean exists(String name) {
        return Files.exists(runNetns.resolve(name));
    }

    /** {@code ip netns attach NAME PID}. */
    public void attach(String name, long pid) throws ContainerRuntime.RuntimeFailure {
        CommandRunner.Result r = CommandRunner.run(java.util.List.of("ip", "netns", "attach", name, Long.toString(pid)), TIMEOUT);
        if (!r.ok()) {
            throw new ContainerRuntime.RuntimeFailure("cannot name the network namespace of process " + pid + " " + name
                    + ": " + r.firstErrorLine());
        }
    }

    /**
     * {@code ip netns del NAME}: drops the name only. A container's live namespace stays with the container; a dead
     * one's namespace (and the link ends in it) goes once nothing holds it.
     */
    public void detach(String name) throws ContainerRuntime.RuntimeFailure {
        if (!exists(name)) {
            return;
        }
        CommandRunner.Result r = CommandRunner.run(java.util.List.of("ip", "netns", "del", name), TIMEOUT);
        if (!r.ok() && exists(name)) {
            throw new ContainerRuntime.RuntimeFailure("cannot drop the namespace name " + name + ": " + r.firstErrorLine());
        }
    }

    private static Long inode(Path p) {
        try {
            return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
