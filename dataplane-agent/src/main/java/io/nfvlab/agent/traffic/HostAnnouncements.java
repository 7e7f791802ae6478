package io.nfvlab.agent.traffic;

import io.nfvlab.agent.kernel.linux.GratuitousArp;
import io.nfvlab.api.node.TrafficJob.JobPair;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Neighbour resolution for a ping test among many hosts, done by the hosts themselves through the emulated network
 * with as few broadcasts as possible. First contact between two hosts costs one ARP request, and every request is
 * flooded to every host of the L2 domain: a pingall among P hosts asks P·(P−1)/2 of them (4,950 for the 100 sampled
 * hosts of the 10,000-host tree, each delivered to 10,000 namespaces: ≈50 million deliveries, minutes of CPU on two
 * cores, during which counted echoes timed out). Instead, each source of the test (a host with an address in it)
 * accepts announcements for the duration of the test ({@code arp_accept}), then announces its own address with one
 * gratuitous ARP, one at a time, each after the previous one's flood has left the receive backlog: P broadcasts.
 * Every announcement crosses the emulated network like any other frame; a host it does not reach (a link down, a
 * lossy link) learns nothing from it, and the test's own resolution round falls back to ARP requests for that pair,
 * as before. What was done is reported in the test's result; {@link Announced#close()} restores each host's setting.
 */
final class HostAnnouncements {
    /** What a host can be asked to do ({@link GratuitousArp} on Linux). */
    interface Hosts {
        /** Sets whether the host creates neighbour entries from announcements; returns the previous value. */
        int acceptAnnouncements(String netns, int value) throws IOException;

        /** Broadcasts the host's announcement of {@code address}. */
        void announce(String netns, String address) throws IOException;

        static Hosts linux() {
            return new Hosts() {
                @Override
                public int acceptAnnouncements(String netns, int value) throws IOException {
                    return GratuitousArp.acceptAnnouncements(netns, value);
                }

                @Override
                public void announce(String netns, String address) throws IOException {
                    GratuitousArp.announce(netns, address);
                }
            };
        }
    }

    /** How long to wait for one flood to leave the receive backlog before the next announcement. */
    static final Duration FLOOD_WAIT = Duration.ofSeconds(2);
    /**
     * Frames still queued (all CPUs) when the next announcement may go: the backlog all but empty. Not "fewer than a
     * flood": right after the send, a flood on the tree is still a hundred frames in the root bridge's hand that
     * become 10,000 a moment later; pacing on that let three floods overlap and the third lost ~9,700 of its copies.
     */
    static final long QUIET_BACKLOG = 64;

    private final Hosts hosts;
    private final ReceiveBacklog backlog;

    HostAnnouncements(Hosts hosts, ReceiveBacklog backlog) {
        this.hosts = hosts;
        this.backlog = backlog;
    }

    /**
     * The hosts accepting announcements for tests running now, across every test of this agent: how many tests each
     * takes part in, and its setting before the first. Two tests on the same hosts at once would otherwise leave the
     * setting on for good (the second remembers the first's "on" and restores it).
     */
    private static final Map<String, int[]> TAKING_PART = new HashMap<>();

    private void join(String netns) throws IOException {
        synchronized (TAKING_PART) {
            int[] entry = TAKING_PART.get(netns);
            if (entry == null) {
                TAKING_PART.put(netns, new int[]{1, hosts.acceptAnnouncements(netns, 1)});
            } else {
                entry[0]++;
            }
        }
    }

    /** The last test to leave a host puts its setting back; a host already gone is left alone. */
    private void leave(String netns) {
        synchronized (TAKING_PART) {
            int[] entry = TAKING_PART.get(netns);
            if (entry == null || --entry[0] > 0) {
                return;
            }
            TAKING_PART.remove(netns);
            try {
                hosts.acceptAnnouncements(netns, entry[1]);
            } catch (IOException e) {
                // the namespace went with its topology; nothing left to restore
            }
        }
    }

    /** The notes for the result, and the settings to put back when the test is over. */
    final class Announced implements AutoCloseable {
        private final List<String> joined;
        private final List<String> notes;

        private Announced(List<String> joined, List<String> notes) {
            this.joined = joined;
            this.notes = notes;
        }

        List<String> notes() {
            return notes;
        }

        /** Each host's {@code arp_accept} back to what it was once no other test of this agent uses it. */
        @Override
        public void close() {
            joined.forEach(HostAnnouncements.this::leave);
        }
    }

    /**
     * Every source of {@code pairs} whose address the pairs name (as some pair's destination) announces it, after all
     * of them accept announcements, each once the previous one's flood has left the receive backlog.
     */
    Announced announce(List<JobPair> pairs) throws InterruptedException {
        Map<String, String> addressOf = new LinkedHashMap<>();
        for (JobPair p : pairs) {
            if (p.getDestinationNetns() != null) {
                addressOf.putIfAbsent(p.getDestinationNetns(), p.getDestinationAddress());
            }
        }
        Map<String, String> sources = new LinkedHashMap<>();
        for (JobPair p : pairs) {
            sources.putIfAbsent(p.getSourceNetns(), addressOf.get(p.getSourceNetns()));
        }
        List<String> joined = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String netns : sources.keySet()) {
            try {
                join(netns);
                joined.add(netns);
            } catch (IOException e) {
                failures.add(e.getMessage());
            }
        }
        int announced = 0;
        for (Map.Entry<String, String> e : sources.entrySet()) {
            if (e.getValue() == null || !joined.contains(e.getKey())) {
                continue;
            }
            backlog.awaitBelow(QUIET_BACKLOG, FLOOD_WAIT);
            try {
                hosts.announce(e.getKey(), e.getValue());
                announced++;
            } catch (IOException ex) {
                failures.add(ex.getMessage());
            }
        }
        List<String> notes = new ArrayList<>();
        if (announced > 0) {
            notes.add("neighbour resolution: " + announced + " hosts announced their addresses by gratuitous ARP through the emulated network"
                    + " (arp_accept on in the test's hosts while it ran, restored after), instead of one flooded ARP request per pair");
        }
        if (!failures.isEmpty()) {
            notes.add(failures.size() + " host(s) could not take part in the announcements (first: " + failures.get(0)
                    + "): their pairs were resolved by ARP requests");
        }
        return new Announced(List.copyOf(joined), List.copyOf(notes));
    }
}
