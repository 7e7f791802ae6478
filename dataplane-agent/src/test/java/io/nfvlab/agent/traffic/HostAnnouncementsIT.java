package io.nfvlab.agent.traffic;

import io.nfvlab.agent.kernel.linux.GratuitousArp;
import io.nfvlab.agent.process.CommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hosts of a ping test learn each other from one gratuitous ARP each, through the emulated network (a tree of
 * Linux bridges, fanout 4: 16 hosts), before any echo: and only the hosts the announcement reaches.
 */
class HostAnnouncementsIT {
    private TreeLab lab;

    @BeforeAll
    static void needsRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create network namespaces");
    }

    @BeforeEach
    void setUp() {
        lab = new TreeLab("tha", 4);
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
            assertThat(lab.leftovers()).isEmpty();
        }
    }

    @Test
    void afterTheAnnouncementsEveryHostKnowsEveryOtherAndItsSettingIsBack() throws Exception {
        HostAnnouncements announcements = new HostAnnouncements(HostAnnouncements.Hosts.linux(), ReceiveBacklog.linux());
        try (HostAnnouncements.Announced a = announcements.announce(lab.allPairs())) {
            assertThat(a.notes()).singleElement().asString().startsWith("neighbour resolution: 16 hosts announced");
            for (int h = 1; h <= lab.hosts; h++) {
                int self = h;
                assertThat(neighbours(h)).as("h%d's neighbours", h)
                        .isEqualTo(IntStream.rangeClosed(1, lab.hosts).filter(o -> o != self).mapToObj(NamespaceLab::address).collect(Collectors.toSet()));
                assertThat(arpAccept(h)).isEqualTo("1");
            }
        }
        for (int h = 1; h <= lab.hosts; h++) {
            assertThat(arpAccept(h)).as("h%d's arp_accept restored", h).isEqualTo("0");
        }
    }

    @Test
    void aHostCutOffByALinkDownLearnsOnlyTheHostsItsLeafReaches() throws Exception {
        lab.uplinkDown(2);
        new HostAnnouncements(HostAnnouncements.Hosts.linux(), ReceiveBacklog.linux()).announce(lab.allPairs()).close();
        // h1…h4 hang off s2, whose uplink is down
        assertThat(neighbours(1)).containsExactlyInAnyOrder("10.0.0.2", "10.0.0.3", "10.0.0.4");
        assertThat(neighbours(5)).hasSize(11).doesNotContain("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4");
    }

    @Test
    void aHostThatDoesNotAcceptAnnouncementsLearnsNothingFromThem() throws Exception {
        for (int h = 1; h <= lab.hosts; h++) {
            GratuitousArp.announce(lab.hostNetns(h), NamespaceLab.address(h));
        }
        assertThat(IntStream.rangeClosed(1, lab.hosts).mapToObj(this::neighbours)).allMatch(Set::isEmpty);
    }

    @Test
    void anAddressNoInterfaceHoldsIsRefusedByName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GratuitousArp.announce(lab.hostNetns(1), "10.0.0.2"))
                .hasMessageContaining("no interface holds 10.0.0.2 in " + lab.hostNetns(1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GratuitousArp.announce(lab.hostNetns(1), "--help"))
                .hasMessageContaining("not an IPv4 address: --help");
    }

    /** The IPv4 neighbours host h has a link-layer address for. */
    private Set<String> neighbours(int h) {
        // the announcements are processed in softirq after the sender returns: give the last flood a moment
        List<String> lines = List.of();
        for (int i = 0; i < 50; i++) {
            lines = CommandRunner.run(List.of("ip", "-n", lab.hostNetns(h), "-4", "neigh", "show"), Duration.ofSeconds(10))
                    .orThrow().stdout().lines().filter(l -> l.contains("lladdr")).toList();
            if (!lines.isEmpty()) {
                break;
            }
            sleep();
        }
        return lines.stream().map(l -> l.split(" ")[0]).collect(Collectors.toSet());
    }

    private String arpAccept(int h) {
        return CommandRunner.run(List.of("nsenter", "--net=/run/netns/" + lab.hostNetns(h), "--", "sysctl", "-n", "net.ipv4.conf.all.arp_accept"),
                Duration.ofSeconds(10)).orThrow().stdout().strip();
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
