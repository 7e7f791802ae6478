package io.nfvlab.agent.ovsdpdk;

import io.nfvlab.api.bridge.VhostUserPort;
import io.nfvlab.api.node.PlannedDpdkBridge;

import java.nio.file.Path;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.channels.SocketChannel;
import java.net.UnixDomainSocketAddress;
import java.io.IOException;

/**
 * Where the vhost-user socket of a port lives, and who serves it. A dpdkvhostuserclient port's socket is served by the
 * peer (testpmd {@code server=1}, or a VNF) at the spec's path or {@code <socketDir>/<port>.sock}; a dpdkvhostuser
 * port's socket is served by ovs-vswitchd in its run directory under the port's name.
 */
public final class VhostSockets {
    public static final Path DEFAULT_ROOT = Path.of("/var/run/nfvlab/dpdk");
    public static final Path OVS_RUN_DIR = Path.of("/var/run/openvswitch");

    /** A port as a virtio_user peer sees it: its socket and whether the peer must serve it. */
    public record Attachment(String port, Path socket, boolean peerIsServer) {
    }

    private VhostSockets() {
    }

    public static Path socketDir(PlannedDpdkBridge bridge) {
        if (bridge.getSocketDir() != null && !bridge.getSocketDir().isBlank()) {
            return Path.of(bridge.getSocketDir());
        }
        return DEFAULT_ROOT.resolve(bridge.getSpec().getBridgeName());
    }

    public static boolean isClientType(VhostUserPort port) {
        return port.getType() == null || port.getType() == VhostUserPort.Type.DPDKVHOSTUSERCLIENT;
    }

    public static Path socketPath(PlannedDpdkBridge bridge, VhostUserPort port) {
        if (!isClientType(port)) {
            return OVS_RUN_DIR.resolve(port.getName());
        }
        return port.getSocketPath() != null ? Path.of(port.getSocketPath()) : socketDir(bridge).resolve(port.getName() + ".sock");
    }

    /** The attachment of the named port of a planned bridge, for testpmd or a CNI ADD. */
    public static Attachment attachment(PlannedDpdkBridge bridge, String portName) {
        VhostUserPort port = bridge.getSpec().getPorts().stream().filter(p -> portName.equals(p.getName())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("DpdkBridge " + bridge.getName() + " has no port " + portName));
        return new Attachment(portName, socketPath(bridge, port), isClientType(port));
    }

    /**
     * testpmd serves these sockets itself (server=1); one that died leaves its socket file behind and the next bind
     * fails with "Address already in use". A socket nobody listens on is such a leftover.
     */
    public static boolean removeStaleSocket(Path socket) {
        if (!isSocket(socket)) {
            return false;
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return false;
        } catch (IOException nobodyListens) {
            try {
                // checked again right before: between the probe and here the path could have been replaced
                return isSocket(socket) && Files.deleteIfExists(socket);
            } catch (IOException e) {
                return false;
            }
        }
    }

    /**
     * Whether {@code path} itself (not what a symbolic link points to) is a unix socket (S_ISSOCK of lstat). The agent
     * deletes nothing else: a path from a plan must never make it remove a regular file, a FIFO, a device or a link.
     */
    public static boolean isSocket(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & S_IFMT) == S_IFSOCK;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
}
