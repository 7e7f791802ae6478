package io.nfvlab.agent.kernel.linux;

import com.sun.jna.LastErrorException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A numeric {@code /proc/sys/net} setting of one network namespace: {@code /proc/sys/net} is the calling thread's
 * namespace's, so the file is opened from inside it. Shell equivalent: {@code nsenter --net=/run/netns/NS -- sysctl -w
 * KEY=VALUE}.
 */
final class NamespaceSysctl {
    private NamespaceSysctl() {
    }

    /**
     * Sets {@code file} in {@code netns} to {@code value} when it differs and returns the value it had.
     *
     * @throws NoSuchFileException when the kernel has no such setting (IPv6 compiled out, say)
     * @throws IOException         when the namespace cannot be entered or the file not read or written
     */
    static synchronized int set(String netns, Path file, int value) throws IOException {
        try (ThreadNetns in = ThreadNetns.enter(netns)) {
            int before;
            // one read: a sysctl answers only a read at offset 0
            try (InputStream s = Files.newInputStream(file)) {
                before = Integer.parseInt(new String(s.readAllBytes(), StandardCharsets.US_ASCII).strip());
            }
            if (before != value) {
                Files.writeString(file, Integer.toString(value));
            }
            return before;
        } catch (LastErrorException e) {
            throw new IOException("cannot enter namespace " + netns + ": errno " + e.getErrorCode(), e);
        } catch (NumberFormatException e) {
            throw new IOException(file + " in " + netns + ": " + e.getMessage(), e);
        }
    }
}
