package io.nfvlab.agent.kernel.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

import java.io.IOException;

/**
 * A raw AF_PACKET socket bound to one interface, with virtio-net headers on (so GSO frames and partial checksums
 * pass through unchanged, as for a VM's tap) and its own outgoing frames ignored. Opened inside a named network
 * namespace when asked (setns on the calling thread, then back).
 */
final class PacketSocket implements AutoCloseable {
    /**
     * Gives the calling thread real-time priority (SCHED_FIFO 10), so a delay line keeps its timing when the node's
     * CPUs are busy; its threads block in recv/poll, so they cannot starve the machine. Best effort.
     */
    static void realtime() {
        try {
            LibC.INSTANCE.sched_setscheduler(LibC.INSTANCE.gettid(), 1, new int[]{10});
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            // not permitted or not available: normal priority
        }
    }

    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    private static final int ETH_P_ALL_BE = 0x0300;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int SOL_PACKET = 263;
    private static final int PACKET_VNET_HDR = 15;
    private static final int PACKET_IGNORE_OUTGOING = 23;

    private final int fd;
    private volatile boolean closed;

    private PacketSocket(int fd) {
        this.fd = fd;
    }

    /** Opens a socket on {@code device} in {@code netns} (null: the agent's own namespace). */
    static synchronized PacketSocket open(String netns, String device) throws IOException {
        LibC c = LibC.INSTANCE;
        try (ThreadNetns in = ThreadNetns.enter(netns)) {
            int index = c.if_nametoindex(device);
            if (index == 0) {
                throw new IOException("no device " + device + (netns == null ? "" : " in " + netns));
            }
            int fd = c.socket(AF_PACKET, SOCK_RAW, ETH_P_ALL_BE);
            try {
                option(fd, SOL_PACKET, PACKET_VNET_HDR, 1);
                option(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1);
                Memory timeout = new Memory(16);
                timeout.setLong(0, 0);
                timeout.setLong(8, 200_000);
                c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, 16);
                byte[] addr = new byte[20];
                addr[0] = (byte) AF_PACKET;
                addr[2] = 0;
                addr[3] = 3;
                addr[4] = (byte) index;
                addr[5] = (byte) (index >> 8);
                addr[6] = (byte) (index >> 16);
                addr[7] = (byte) (index >> 24);
                c.bind(fd, addr, addr.length);
                return new PacketSocket(fd);
            } catch (LastErrorException e) {
                c.close(fd);
                throw e;
            }
        } catch (LastErrorException e) {
            throw new IOException("packet socket on " + device + ": errno " + e.getErrorCode(), e);
        }
    }

    private static void option(int fd, int level, int name, int value) {
        Memory m = new Memory(4);
        m.setInt(0, value);
        LibC.INSTANCE.setsockopt(fd, level, name, m, 4);
    }

    /** Reads one frame (with its 10-byte virtio-net header) into {@code buf}; 0 on timeout, -1 when closed. */
    int receive(byte[] buf) {
        if (closed) {
            return -1;
        }
        long n = LibC.INSTANCE.recv(fd, buf, buf.length, 0);
        if (n < 0) {
            return closed ? -1 : 0;
        }
        return (int) n;
    }

    void send(byte[] frame, int length) {
        if (!closed) {
            LibC.INSTANCE.send(fd, frame, length, 0);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.INSTANCE.close(fd);
        }
    }
}
