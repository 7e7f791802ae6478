package io.nfvlab.agent.kernel.linux;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Turns IPv6 off in a topology's switch namespace before its bridges and ports are created there: nothing in it is
 * addressed (the hosts are), and every device that gets IPv6 gets a link-local address with its route, duplicate-
 * address detection, router solicitations and MLD reports. On the 10,000-host tree that was 10,100 switch-side
 * ports with a link-local route each under one fe80::/64 node of the namespace's routing table (inserting them
 * walks the ones before: the IPv6 route walks on link up in the build's profile), and the MLD reports of the links
 * between switches reached the other bridge and were flooded to all 10,000 hosts (seen at a host during the build,
 * and lost in bulk from the CPU's receive backlog).
 *
 * <p>Shell equivalent: {@code nsenter --net=/run/netns/NS -- sysctl -w net.ipv6.conf.default.disable_ipv6=1
 * net.ipv6.conf.all.disable_ipv6=1}.
 */
final class SwitchNamespaceIpv6 {
    private static final Path DEFAULT = Path.of("/proc/sys/net/ipv6/conf/default/disable_ipv6");
    private static final Path ALL = Path.of("/proc/sys/net/ipv6/conf/all/disable_ipv6");

    private SwitchNamespaceIpv6() {
    }

    /** Disables IPv6 for the devices to come (default) and those there (all); a kernel without IPv6 has nothing to disable. */
    static void disable(String netns) throws IOException {
        for (Path p : new Path[]{DEFAULT, ALL}) {
            try {
                NamespaceSysctl.set(netns, p, 1);
            } catch (NoSuchFileException e) {
                // no IPv6 in this kernel: nothing to disable
            }
        }
    }
}
