package io.nfvlab.agent.kernel.linux;

import com.sun.jna.LastErrorException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What keeps a network namespace alive after {@code ip netns del}: the kernel destroys a namespace (and unregisters
 * its devices) only when the last reference goes, and each of these is one — a thread or process whose network
 * namespace it is, a socket opened inside it, an open descriptor of the namespace itself. Read from /proc:
 * {@code readlink /proc/PID/task/TID/ns/net}, {@code readlink /proc/PID/fd/N}, and for a socket descriptor of this
 * process the {@code SIOCGSKNS} ioctl (a descriptor of the socket's namespace). Sockets of other processes are not
 * visible this way; their threads are.
 * <p>
 * A namespace is known by the inode of its nsfs file ({@code stat -L -c %i /run/netns/NAME}): names are freed by
 * {@code ip netns del}, the inode lives as long as the namespace.
 */
public final class NamespaceHolders {
    private static final long SIOCGSKNS = 0x894C;

    private NamespaceHolders() {
    }

    /** The inode of each named namespace in /run/netns (absent names are left out). */
    public static Map<String, Long> identities(Set<String> names) {
        Map<String, Long> out = new HashMap<>();
        for (String name : names) {
            try {
                out.put(name, ((Number) Files.getAttribute(Path.of("/run/netns", name), "unix:ino")).longValue());
            } catch (IOException | RuntimeException e) {
                // not there (or not a namespace): nothing to hold
            }
        }
        return out;
    }

    /**
     * Who holds any of these namespaces (inode to name), one line each: "thread 'NAME' of this process",
     * "socket fd N of this process", "process PID (COMM)", "fd N of process PID". Empty when nothing does.
     */
    public static List<String> of(Map<String, Long> identities) {
        List<String> out = new ArrayList<>();
        if (identities.isEmpty()) {
            return out;
        }
        Map<Long, String> byInode = new HashMap<>();
        identities.forEach((name, ino) -> byInode.put(ino, name));
        String self = selfPid();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> isNumber(p.getFileName().toString()))) {
            for (Path proc : procs) {
                String pid = proc.getFileName().toString();
                boolean mine = pid.equals(self);
                threads(proc, pid, mine, byInode, out);
                descriptors(proc, pid, mine, byInode, out);
            }
        } catch (IOException e) {
            out.add("cannot read /proc: " + e.getMessage());
        }
        return out;
    }

    private static void threads(Path proc, String pid, boolean mine, Map<Long, String> byInode, List<String> out) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
            for (Path task : tasks) {
                Long ino = nsInode(link(task.resolve("ns/net")));
                if (ino != null && byInode.containsKey(ino)) {
                    out.add((mine ? "thread '" + comm(task) + "' of this process" : "process " + pid + " (" + comm(proc) + ")")
                            + " is in " + byInode.get(ino));
                    if (!mine) {
                        return;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended meanwhile
        }
    }

    private static void descriptors(Path proc, String pid, boolean mine, Map<Long, String> byInode, List<String> out) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (AccessDeniedException e) {
                    // none of this process's descriptors can be read (the same is true of the rest): each try costs
                    // two exceptions with their stack traces, hundreds per check (≈10 ms of every teardown)
                    return;
                } catch (IOException | RuntimeException e) {
                    continue; // closed meanwhile
                }
                Long ino = nsInode(target);
                if (ino != null && byInode.containsKey(ino)) {
                    out.add("fd " + fd.getFileName() + " of " + (mine ? "this process" : "process " + pid + " (" + comm(proc) + ")")
                            + " opens " + byInode.get(ino));
                } else if (mine && target.startsWith("socket:")) {
                    Long sockNs = socketNamespace(Integer.parseInt(fd.getFileName().toString()));
                    if (sockNs != null && byInode.containsKey(sockNs)) {
                        out.add("socket fd " + fd.getFileName() + " of this process was opened in " + byInode.get(sockNs));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended meanwhile, or its descriptors are not ours to read
        }
    }

    /** The namespace inode of a socket descriptor of this process, or null (closed meanwhile, or not a socket). */
    private static Long socketNamespace(int fd) {
        LibC c = LibC.INSTANCE;
        int ns;
        try {
            ns = c.ioctl(fd, SIOCGSKNS, null);
        } catch (LastErrorException e) {
            return null;
        }
        try {
            return nsInode(link(Path.of("/proc/self/fd/" + ns)));
        } finally {
            c.close(ns);
        }
    }

    private static String selfPid() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self")).toString();
        } catch (IOException e) {
            return Long.toString(ProcessHandle.current().pid());
        }
    }

    private static String link(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** "net:[4026532281]" → 4026532281; anything else → null. */
    static Long nsInode(String link) {
        if (link == null || !link.startsWith("net:[") || !link.endsWith("]")) {
            return null;
        }
        try {
            return Long.parseLong(link.substring(5, link.length() - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String comm(Path taskOrProc) {
        try {
            return Files.readString(taskOrProc.resolve("comm")).strip();
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
