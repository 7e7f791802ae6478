package io.nfvlab.agent.kernel.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A host announcing its own IPv4 address to its L2 domain: one broadcast ARP request whose sender and target are
 * that address (a gratuitous ARP, as {@code arping -U -c 1 -I DEV ADDR} sends it), through a packet socket opened in
 * the host's namespace. A neighbour that accepts announcements ({@code net.ipv4.conf.all.arp_accept=1}) creates an
 * entry for the host from it; one that does not ignores it. So N hosts learn each other with N broadcasts instead
 * of the N·(N−1)/2 flooded requests of first-contact resolution.
 *
 * <p>Shell equivalent: {@code nsenter --net=/run/netns/NS -- sysctl -w net.ipv4.conf.all.arp_accept=1} and
 * {@code nsenter --net=/run/netns/NS -- arping -U -c 1 -I DEV ADDR}.
 */
public final class GratuitousArp {
    private static final int AF_INET = 2;
    private static final int AF_PACKET = 17;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_RAW = 3;
    private static final long SIOCGIFCONF = 0x8912;
    private static final long SIOCGIFHWADDR = 0x8927;
    private static final int IFREQ_SIZE = 40;
    private static final int MAX_INTERFACES = 64;
    private static final Path ARP_ACCEPT = Path.of("/proc/sys/net/ipv4/conf/all/arp_accept");

    private GratuitousArp() {
    }

    /**
     * Sends the announcement of {@code address} from the interface of {@code netns} that holds it.
     *
     * @throws IOException when no interface there holds the address or the frame cannot be sent
     */
    public static synchronized void announce(String netns, String address) throws IOException {
        byte[] ip = ipv4(address);
        LibC c = LibC.INSTANCE;
        int inet = -1;
        int packet = -1;
        try (ThreadNetns in = ThreadNetns.enter(netns)) {
            inet = c.socket(AF_INET, SOCK_DGRAM, 0);
            String device = deviceHolding(inet, ip, address, netns);
            byte[] mac = hardwareAddress(inet, device);
            int index = c.if_nametoindex(device);
            // protocol 0: a socket that only sends. One with a protocol registers a receive hook, and binding it
            // re-registers the hook after an RCU grace period (packet_do_bind: ≈15 ms here, per host)
            packet = c.socket(AF_PACKET, SOCK_RAW, 0);
            byte[] sll = new byte[20];
            sll[0] = (byte) AF_PACKET;
            sll[4] = (byte) index;
            sll[5] = (byte) (index >> 8);
            sll[6] = (byte) (index >> 16);
            sll[7] = (byte) (index >> 24);
            c.bind(packet, sll, sll.length);
            byte[] frame = frame(mac, ip);
            if (c.send(packet, frame, frame.length, 0) != frame.length) {
                throw new IOException("gratuitous ARP for " + address + " in " + netns + ": not sent");
            }
        } catch (LastErrorException e) {
            throw new IOException("gratuitous ARP for " + address + " in " + netns + ": errno " + e.getErrorCode(), e);
        } finally {
            // out of the namespace here: a closer thread started now starts in the agent's own
            if (packet >= 0) closeLater(packet);
            if (inet >= 0) c.close(inet);
        }
    }

    /**
     * Closing a packet socket waits for an RCU grace period (packet_release calls synchronize_net): ≈25 ms each here,
     * 2.5 s for 100 hosts one after the other. Closed on threads of their own, the waits overlap.
     */
    private static void closeLater(int fd) {
        CLOSER.execute(() -> LibC.INSTANCE.close(fd));
    }

    private static final ExecutorService CLOSER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "packet-socket-close");
        t.setDaemon(true);
        return t;
    });

    /**
     * Sets {@code net.ipv4.conf.all.arp_accept} in {@code netns} (the kernel takes the larger of "all" and the
     * interface's own value) and returns the value it had.
     */
    public static int acceptAnnouncements(String netns, int value) throws IOException {
        return NamespaceSysctl.set(netns, ARP_ACCEPT, value);
    }

    /**
     * The Ethernet frame: broadcast, ARP request, sender and target protocol address both {@code ip}, target hardware
     * address zero (RFC 5227's announcement), padded to the 60-byte minimum.
     */
    static byte[] frame(byte[] mac, byte[] ip) {
        byte[] f = new byte[60];
        Arrays.fill(f, 0, 6, (byte) 0xff);
        System.arraycopy(mac, 0, f, 6, 6);
        f[12] = 0x08;
        f[13] = 0x06;
        f[15] = 1;          // hardware type Ethernet
        f[16] = 0x08;       // protocol type IPv4
        f[18] = 6;
        f[19] = 4;
        f[21] = 1;          // request
        System.arraycopy(mac, 0, f, 22, 6);
        System.arraycopy(ip, 0, f, 28, 4);
        System.arraycopy(ip, 0, f, 38, 4);
        return f;
    }

    static byte[] ipv4(String address) throws IOException {
        // only dotted quads: InetAddress must not resolve a name
        if (!address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IOException("not an IPv4 address: " + address);
        }
        InetAddress a = InetAddress.getByName(address);
        if (!(a instanceof Inet4Address)) {
            throw new IOException("not an IPv4 address: " + address);
        }
        return a.getAddress();
    }

    /** SIOCGIFCONF: the IPv4 addresses of the namespace's interfaces that are up, with their names. */
    private static String deviceHolding(int fd, byte[] ip, String address, String netns) throws IOException {
        Memory buf = new Memory((long) IFREQ_SIZE * MAX_INTERFACES);
        buf.clear();
        Memory ifconf = new Memory(16);
        ifconf.setInt(0, (int) buf.size());
        ifconf.setPointer(8, buf);
        LibC.INSTANCE.ioctl(fd, SIOCGIFCONF, ifconf);
        int len = ifconf.getInt(0);
        for (int off = 0; off + IFREQ_SIZE <= len; off += IFREQ_SIZE) {
            byte[] addr = buf.getByteArray(off + 20, 4);
            if (buf.getShort(off + 16) == AF_INET && Arrays.equals(addr, ip)) {
                byte[] name = buf.getByteArray(off, 16);
                int end = 0;
                while (end < name.length && name[end] != 0) end++;
                return new String(name, 0, end, StandardCharsets.US_ASCII);
            }
        }
        throw new IOException("no interface holds " + address + " in " + netns);
    }

    private static byte[] hardwareAddress(int fd, String device) {
        Memory ifreq = new Memory(IFREQ_SIZE);
        ifreq.clear();
        byte[] name = device.getBytes(StandardCharsets.US_ASCII);
        ifreq.write(0, name, 0, name.length);
        LibC.INSTANCE.ioctl(fd, SIOCGIFHWADDR, ifreq);
        return ifreq.getByteArray(18, 6);
    }
}
