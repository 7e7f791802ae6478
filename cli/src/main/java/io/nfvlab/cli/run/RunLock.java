package io.nfvlab.cli.run;

import io.nfvlab.api.node.KernelNames;
import io.nfvlab.cli.CliException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One live {@code nfvlab run} per owner on a machine. Kernel and OVS names derive from the owner's kind, namespace
 * and name, so two runs of the same topology would fight over the same namespaces and bridges; each run holds an
 * exclusive lock per owner token (a POSIX lock, released by the kernel when the process dies, even by SIGKILL).
 * Leftovers of a run that was killed are not locked: the new run's agent adopts them and its teardown removes them.
 */
final class RunLock implements AutoCloseable {
    static final Path DIR = Path.of("/run/nfvlab/locks");

    private final List<FileChannel> channels = new ArrayList<>();

    private RunLock() {
    }

    /** Locks every owner; fails with one line naming the owner another run holds. */
    static RunLock acquire(List<Owner> owners) {
        RunLock lock = new RunLock();
        try {
            Files.createDirectories(DIR);
            for (Owner o : owners) {
                String token = KernelNames.token(o.kind(), o.namespace(), o.name());
                Path file = DIR.resolve(token + ".lock");
                FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
                FileLock l = ch.tryLock();
                if (l == null) {
                    String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                    ch.close();
                    throw CliException.failure("another nfvlab run" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                            + " is running " + o.kind() + " " + o.display() + " on this machine: stop it first, or give this one"
                            + " another name (--name) or namespace (--namespace)");
                }
                ch.truncate(0);
                ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
                lock.channels.add(ch);
            }
            return lock;
        } catch (IOException e) {
            lock.close();
            throw CliException.failure("cannot lock " + DIR + ": " + e.getMessage());
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * The owner tokens whose lock a live process holds (another {@code nfvlab run} on this machine); a lock file no
     * process holds is a run that ended, or was killed.
     */
    static Set<String> heldTokens() {
        Set<String> held = new TreeSet<>();
        if (!Files.isDirectory(DIR)) {
            return held;
        }
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".lock")).toList()) {
                String token = file.getFileName().toString().replaceFirst("\\.lock$", "");
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    FileLock l = ch.tryLock();
                    if (l == null) {
                        held.add(token);
                    } else {
                        l.release();
                    }
                } catch (OverlappingFileLockException e) {
                    held.add(token); // this very process holds it
                } catch (IOException e) {
                    held.add(token); // unreadable: counted as live, so that nothing of it is removed
                }
            }
        } catch (IOException e) {
            throw CliException.failure("cannot read " + DIR + ": " + e.getMessage());
        }
        return held;
    }

    record Owner(String kind, String namespace, String name) {
        String display() {
            return namespace == null ? name : namespace + "/" + name;
        }
    }

    @Override
    public void close() {
        for (FileChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing releases the lock; nothing else to do
            }
        }
        channels.clear();
    }
}
