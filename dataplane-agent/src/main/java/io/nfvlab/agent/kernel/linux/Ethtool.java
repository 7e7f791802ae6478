package io.nfvlab.agent.kernel.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ethtool -K DEV tx off} without a process per device: the SIOCETHTOOL ioctl (ETHTOOL_STXCSUM) on a socket
 * opened in the device's namespace. Turning TX checksumming off also turns off TSO, which depends on it.
 */
final class Ethtool {
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final long SIOCETHTOOL = 0x8946;
    private static final int ETHTOOL_STXCSUM = 0x17;

    private Ethtool() {
    }

    /** Turns TX checksum offload off on each device; returns device → error for those that failed. */
    static synchronized Map<String, String> txOff(String netns, List<String> devices) {
        LibC c = LibC.INSTANCE;
        Map<String, String> errors = new LinkedHashMap<>();
        int fd = -1;
        try (ThreadNetns in = ThreadNetns.enter(netns)) {
            fd = c.socket(AF_INET, SOCK_DGRAM, 0);
            Memory value = new Memory(8);
            Memory ifreq = new Memory(40);
            for (String dev : devices) {
                byte[] name = dev.getBytes(StandardCharsets.US_ASCII);
                if (name.length > 15) {
                    errors.put(dev, "interface name too long");
                    continue;
                }
                value.setInt(0, ETHTOOL_STXCSUM);
                value.setInt(4, 0);
                ifreq.clear();
                ifreq.write(0, name, 0, name.length);
                ifreq.setPointer(16, value);
                try {
                    c.ioctl(fd, SIOCETHTOOL, ifreq);
                } catch (LastErrorException e) {
                    errors.put(dev, "ethtool -K " + dev + " tx off: errno " + e.getErrorCode());
                }
            }
        } catch (LastErrorException e) {
            devices.forEach(d -> errors.putIfAbsent(d, "cannot enter namespace " + netns + ": errno " + e.getErrorCode()));
        } finally {
            if (fd >= 0) c.close(fd);
        }
        return errors;
    }
}
