package io.nfvlab.agent.traffic;

import io.nfvlab.api.node.TrafficJob.JobPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class HostAnnouncementsTest {
    @TempDir
    Path dir;

    /** Records what the hosts were asked, in order; hosts named in {@code broken} cannot be entered. */
    static class RecordingHosts implements HostAnnouncements.Hosts {
        final List<String> calls = new ArrayList<>();
        final Map<String, Integer> arpAccept = new HashMap<>();
        final List<String> broken = new ArrayList<>();

        @Override
        public int acceptAnnouncements(String netns, int value) throws IOException {
            if (broken.contains(netns)) {
                throw new IOException("cannot enter namespace " + netns + ": errno 2");
            }
            calls.add("accept " + netns + "=" + value);
            Integer before = arpAccept.put(netns, value);
            return before == null ? 0 : before;
        }

        @Override
        public void announce(String netns, String address) {
            calls.add("announce " + netns + " " + address);
        }
    }

    private final RecordingHosts hosts = new RecordingHosts();

    private HostAnnouncements announcements() {
        // no softnet_stat file: nothing is known to be queued, no wait
        return new HostAnnouncements(hosts, new ReceiveBacklog(dir.resolve("limit"), dir.resolve("none")));
    }

    private static JobPair pair(int from, int to) {
        return JobPair.builder().source("h" + from).sourceNetns("ns-h" + from).destination("h" + to)
                .destinationAddress("10.0.0." + to).destinationNetns("ns-h" + to).build();
    }

    private static List<JobPair> pingall(int hosts) {
        List<JobPair> pairs = new ArrayList<>();
        for (int i = 1; i <= hosts; i++) {
            for (int j = 1; j <= hosts; j++) {
                if (i != j) pairs.add(pair(i, j));
            }
        }
        return pairs;
    }

    @Test
    void everySourceAcceptsAnnouncementsBeforeAnyAnnouncesItselfOnce() throws Exception {
        try (HostAnnouncements.Announced a = announcements().announce(pingall(3))) {
            assertThat(hosts.calls).containsExactly(
                    "accept ns-h1=1", "accept ns-h2=1", "accept ns-h3=1",
                    "announce ns-h1 10.0.0.1", "announce ns-h2 10.0.0.2", "announce ns-h3 10.0.0.3");
            assertThat(a.notes()).singleElement().asString()
                    .startsWith("neighbour resolution: 3 hosts announced their addresses by gratuitous ARP");
        }
    }

    @Test
    void eachAnnouncementWaitsUntilThePreviousFloodHasLeftTheReceiveBacklog() throws Exception {
        Path stat = dir.resolve("softnet_stat");
        Files.writeString(stat, softnet(0));
        AtomicBoolean drained = new AtomicBoolean(true);
        List<Boolean> drainedWhenAnnouncing = new ArrayList<>();
        RecordingHosts flooding = new RecordingHosts() {
            @Override
            public void announce(String netns, String address) {
                drainedWhenAnnouncing.add(drained.get());
                // the flood: 9,000 copies queued, drained 100 ms later
                drained.set(false);
                write(stat, softnet(9000));
                Thread drain = new Thread(() -> {
                    sleepMillis(100);
                    drained.set(true);
                    write(stat, softnet(0));
                });
                drain.start();
            }
        };
        new HostAnnouncements(flooding, new ReceiveBacklog(dir.resolve("limit"), stat)).announce(pingall(3)).close();
        assertThat(drainedWhenAnnouncing).containsExactly(true, true, true);
    }

    /** /proc/net/softnet_stat of two CPUs with {@code queued} frames in the first one's backlog. */
    private static String softnet(long queued) {
        return String.format("00001000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 %08x 00000000 %08x 00000000%n"
                + "00001000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000001 00000000 00000000%n", queued, queued);
    }

    /** Replaces the file at once: a reader never sees it empty halfway through a write. */
    private static void write(Path file, String text) {
        try {
            Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), text);
            Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void closingPutsEachHostsSettingBack() throws Exception {
        hosts.arpAccept.put("ns-h2", 2);
        announcements().announce(pingall(2)).close();
        assertThat(hosts.calls).endsWith("accept ns-h1=0", "accept ns-h2=2");
        assertThat(hosts.arpAccept).containsEntry("ns-h1", 0).containsEntry("ns-h2", 2);
    }

    @Test
    void twoTestsOnTheSameHostsAtOnceLeaveTheSettingOnUntilTheLastEnds() throws Exception {
        HostAnnouncements.Announced first = announcements().announce(pingall(2));
        HostAnnouncements.Announced second = announcements().announce(pingall(2));
        first.close();
        assertThat(hosts.arpAccept).as("the second test still runs").containsEntry("ns-h1", 1).containsEntry("ns-h2", 1);
        second.close();
        assertThat(hosts.arpAccept).as("put back by the last").containsEntry("ns-h1", 0).containsEntry("ns-h2", 0);
    }

    @Test
    void aSourceWhoseAddressThePairsDoNotNameListensButDoesNotAnnounce() throws Exception {
        // h1 pings h2 and h3: h1 is no pair's destination, so its address is not known here
        try (HostAnnouncements.Announced a = announcements().announce(List.of(pair(1, 2), pair(1, 3)))) {
            assertThat(hosts.calls).containsExactly("accept ns-h1=1");
            assertThat(a.notes()).isEmpty();
        }
    }

    @Test
    void aHostThatCannotTakePartIsReportedAndTheOthersGoOn() throws Exception {
        hosts.broken.add("ns-h2");
        try (HostAnnouncements.Announced a = announcements().announce(pingall(3))) {
            assertThat(hosts.calls).containsExactly("accept ns-h1=1", "accept ns-h3=1", "announce ns-h1 10.0.0.1", "announce ns-h3 10.0.0.3");
            assertThat(a.notes()).hasSize(2);
            assertThat(a.notes().get(1)).startsWith("1 host(s) could not take part in the announcements (first: cannot enter namespace ns-h2")
                    .endsWith("their pairs were resolved by ARP requests");
        }
    }
}
