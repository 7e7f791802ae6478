package io.nfvlab.agent.traffic;

import io.nfvlab.agent.kernel.linux.LinuxKernel;
import io.nfvlab.agent.process.Netns;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.node.Tool;
import io.nfvlab.api.node.TrafficJob.JobPair;
import io.nfvlab.api.traffic.PairResult;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Echo tests inside host namespaces. {@code ping} runs one iputils ping per pair. {@code pingall} (and pingpair) sends
 * Mininet's one echo per ordered pair; with fping installed it runs one fping per source host towards all of that
 * host's destinations (a process per pair costs ≈4 ms of CPU, which would dominate a 4032-pair pingall), otherwise
 * one ping per pair. Either way the work is spread over a bounded number of threads.
 *
 * <p>Only loss the emulated network causes is counted. Two things used to add loss of their own:
 * <ul>
 *   <li>The machine's neighbour table is shared by all namespaces and too small by default for a pingall among
 *       dozens of hosts ({@link NeighbourTable}): before echoing, its limit is raised to fit.</li>
 *   <li>A counted echo that waits for first-contact ARP resolution can run out of its 1 s under load. Each source
 *       therefore first sends an uncounted <em>resolution round</em> (one echo per destination, one retry, up to
 *       {@link #RESOLUTION_WINDOW_MS} ms), as Mininet's sequential pings with ping's 10 s wait get implicitly; the
 *       counted round follows, with its own echoes. A destination the network cannot reach loses the counted echoes
 *       all the same; destinations that did not answer the resolution round are reported in the result's notes. With fping,
 *       every source's resolution round ends before the first counted round starts, so that no counted echo shares
 *       the CPU with the flooding of other sources' first ARP requests.</li>
 *   <li>A broadcast is flooded to every host of its L2 domain through the CPU's receive backlog, which drops what does
 *       not fit ({@link ReceiveBacklog}: on the 10,000-host tree, half of every flood): its limit is raised to fit.
 *       Before a test among many hosts, the hosts announce themselves ({@link HostAnnouncements}: one broadcast per
 *       host instead of one per pair); the resolution round then finds most neighbours known.</li>
 * </ul>
 */
public final class PingRunner {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PingRunner.class);
    /** Seconds to wait for a reply that is not coming, per echo (Mininet's pingall passes no -W; ping then waits 10 s). */
    static final int REPLY_TIMEOUT_SECONDS = 1;
    /**
     * How long the uncounted resolution round waits for a destination: an echo at 0 and a retry at 800 ms, answered
     * by 2 s. It covers the kernel's first ARP request and its retransmission after 1 s (net.ipv4.neigh.*.retrans_time_ms).
     * Only destinations that do not answer cost this much.
     */
    static final int RESOLUTION_WINDOW_MS = 2000;
    private static final int RESOLUTION_FIRST_TIMEOUT_MS = 800;
    /**
     * From how many sources a test's hosts announce themselves first: n announcements replace n(n-1)/2 flooded ARP
     * requests, worth their fixed cost (arp_accept set and restored in every source, a packet socket each) from a few
     * hosts on; below, the resolution round's ARP requests are cheaper (linear,4 pingall: announcements took 2–9 ms
     * and the resolution round after them was no shorter: 11–17 ms with, 7–13 ms without).
     */
    static final int ANNOUNCING_SOURCES = 8;

    /** The counted results, in the order of the pairs asked for, and notes on what else happened, for the result's message. */
    public record Echoes(List<PairResult> results, List<String> notes) {
        /** The notes as one message, or null when there are none. */
        public String message() {
            return notes.isEmpty() ? null : String.join("; ", notes);
        }
    }

    private final int parallelism;
    private final boolean useFping;
    private final NeighbourTable neighbours;
    private final ReceiveBacklog backlog;
    private final HostAnnouncements announcements;
    private final LongSupplier floodSize;

    public PingRunner(int parallelism, boolean useFping) {
        this(parallelism, useFping, NeighbourTable.linux(), ReceiveBacklog.linux(), HostAnnouncements.Hosts.linux(),
                PingRunner::namedNamespaces);
    }

    /**
     * @param floodSize how many interfaces one broadcast on this node may reach at most: the network namespaces
     *        nfvlab has named there (every host has one), read when a test starts
     */
    PingRunner(int parallelism, boolean useFping, NeighbourTable neighbours, ReceiveBacklog backlog,
               HostAnnouncements.Hosts hosts, LongSupplier floodSize) {
        this.parallelism = Math.max(1, parallelism);
        this.useFping = useFping;
        this.neighbours = neighbours;
        this.backlog = backlog;
        this.announcements = new HostAnnouncements(hosts, backlog);
        this.floodSize = floodSize;
    }

    /** The namespaces nfvlab has named on this node: every host of its topologies has one. */
    static long namedNamespaces() {
        try {
            return LinuxKernel.namedNamespaces().size();
        } catch (UncheckedIOException e) {
            return 0;
        }
    }

    public static PingRunner forThisNode(int parallelism) {
        return new PingRunner(parallelism, Programs.installed(Tool.FPING));
    }

    /** One pair with iputils ping ({@link #countedPing}), after its resolution round. */
    public Echoes ping(JobPair pair, int count, double intervalSec, Integer packetSize) {
        return withNeighbourTable(List.of(pair), false, () -> {
            boolean resolved = resolveByPing(pair);
            return new Round(List.of(countedPing(pair, count, intervalSec, packetSize)), resolved ? 0 : 1);
        });
    }

    /**
     * Pings every pair (count echoes each), in parallel, bounded, each source's counted echoes after its resolution
     * round. Results in the order of {@code pairs}.
     */
    public Echoes pingMany(List<JobPair> pairs, int count, double intervalSec, Integer packetSize) {
        boolean announce = pairs.stream().map(JobPair::getSourceNetns).distinct().count() >= ANNOUNCING_SOURCES;
        return withNeighbourTable(pairs, announce, () -> {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, pairs.size())),
                    r -> daemon(r, "ping"));
            try {
                if (useFping) {
                    return viaFping(pairs, count, intervalSec, packetSize, pool);
                }
                List<Future<Resolved>> futures = new ArrayList<>();
                for (JobPair p : pairs) {
                    futures.add(pool.submit(() -> {
                        boolean resolved = resolveByPing(p);
                        return new Resolved(countedPing(p, count, intervalSec, packetSize), resolved);
                    }));
                }
                List<PairResult> results = new ArrayList<>();
                int unresolved = 0;
                for (Future<Resolved> f : futures) {
                    Resolved r = get(f);
                    results.add(r.result());
                    unresolved += r.resolved() ? 0 : 1;
                }
                return new Round(results, unresolved);
            } finally {
                pool.shutdownNow();
            }
        });
    }

    /** The counted results and how many pairs did not answer their resolution round. */
    private record Round(List<PairResult> results, int unresolved) {
    }

    private record Resolved(PairResult result, boolean resolved) {
    }

    /**
     * Makes room in the machine's neighbour table for the entries {@code pairs} may create (one at each end) and in its
     * receive backlog for a broadcast's flood, lets the test's hosts announce themselves ({@link HostAnnouncements},
     * when {@code announce}), runs the echoes, and notes what the result must say: a raised or too-small limit, the
     * announcements, pairs that did not answer their resolution round, and whether the neighbour table was found
     * full or the backlog dropped frames while they ran (then some loss may be this node's).
     */
    private Echoes withNeighbourTable(List<JobPair> pairs, boolean announce, Supplier<Round> echoes) {
        List<String> notes = new ArrayList<>();
        neighbours.makeRoomFor(2L * pairs.size()).ifPresent(notes::add);
        long flood = floodSize.getAsLong();
        backlog.makeRoomFor(flood).ifPresent(notes::add);
        long fullsBefore = neighbours.stats().map(NeighbourTable.Stats::tableFulls).orElse(-1L);
        long dropsBefore = backlog.stats().map(ReceiveBacklog.Stats::dropped).orElse(-1L);
        Round round;
        if (announce) {
            HostAnnouncements.Announced announced;
            long start = System.nanoTime();
            try {
                announced = announcements.announce(pairs);
                LOG.debug("announcements for {} pairs in {} ms", pairs.size(), (System.nanoTime() - start) / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrafficJobException("interrupted");
            }
            try (announced) {
                notes.addAll(announced.notes());
                round = echoes.get();
            }
        } else {
            round = echoes.get();
        }
        if (round.unresolved() > 0) {
            notes.add("resolution round (not counted): " + round.unresolved() + " of " + pairs.size()
                    + " pairs did not answer within " + RESOLUTION_WINDOW_MS + " ms before the counted echoes");
        }
        long fullsAfter = neighbours.stats().map(NeighbourTable.Stats::tableFulls).orElse(-1L);
        if (fullsBefore >= 0 && fullsAfter > fullsBefore) {
            notes.add("the machine's neighbour table was full " + (fullsAfter - fullsBefore) + " times while this test ran ("
                    + NeighbourTable.LIMIT_SYSCTL + "): some of the loss may be this node's, not the emulated network's");
        }
        long dropsAfter = backlog.stats().map(ReceiveBacklog.Stats::dropped).orElse(-1L);
        if (dropsBefore >= 0 && dropsAfter > dropsBefore) {
            notes.add("the machine's receive backlog dropped " + (dropsAfter - dropsBefore) + " frames while this test ran ("
                    + ReceiveBacklog.LIMIT_SYSCTL + "; any traffic on this node counts): some of the loss may be this node's, not the emulated network's");
        }
        LOG.debug("{} pairs: {}", pairs.size(), notes);
        return new Echoes(round.results(), List.copyOf(notes));
    }

    /** The uncounted resolution echo of one pair: {@code nsenter --net=/run/netns/SRC -- ping -n -q -c 1 -W 2 DST}; true if answered. */
    private static boolean resolveByPing(JobPair pair) {
        List<String> args = List.of("-n", "-q", "-c", "1", "-W", Integer.toString(RESOLUTION_WINDOW_MS / 1000), "--", pair.getDestinationAddress());
        return CommandRunner.run(Netns.exec(pair.getSourceNetns(), "ping", args), Duration.ofMillis(RESOLUTION_WINDOW_MS + 10_000)).ok();
    }

    /** One counted iputils ping run: {@code nsenter --net=/run/netns/SRC -- ping -n -c COUNT -i INTERVAL -W 1 [-s SIZE] DST}. */
    private static PairResult countedPing(JobPair pair, int count, double intervalSec, Integer packetSize) {
        List<String> args = new ArrayList<>(List.of("-n", "-c", Integer.toString(count),
                "-i", String.format(Locale.ROOT, "%.3f", intervalSec), "-W", Integer.toString(REPLY_TIMEOUT_SECONDS)));
        if (packetSize != null) {
            args.add("-s");
            args.add(Integer.toString(packetSize));
        }
        // "--": a destination is never read as an option, whatever the plan says
        args.add("--");
        args.add(pair.getDestinationAddress());
        Duration limit = Duration.ofMillis((long) (count * intervalSec * 1000) + REPLY_TIMEOUT_SECONDS * 1000L + 10_000);
        CommandRunner.Result r = CommandRunner.run(Netns.exec(pair.getSourceNetns(), "ping", args), limit);
        PairResult result;
        try {
            result = PingParser.ping(r.stdout());
        } catch (TrafficJobException e) {
            // as Mininet's _parsePing: no statistics (e.g. "connect: Network is unreachable") counts as all lost
            result = PairResult.builder().sent((long) count).received(0L).lossPercent(100.0).error(r.describe()).build();
        }
        return named(result, pair);
    }

    private Round viaFping(List<JobPair> pairs, int count, double intervalSec, Integer packetSize, ExecutorService pool) {
        Map<String, List<JobPair>> bySource = new LinkedHashMap<>();
        for (JobPair p : pairs) {
            bySource.computeIfAbsent(p.getSourceNetns(), k -> new ArrayList<>()).add(p);
        }
        // every source's resolution round before any counted round: a first-contact ARP request is flooded to every
        // host of the L2 domain (10,000 deliveries each on the 10,000-host tree), and counted echoes sent while other
        // sources were still resolving ran out of CPU (the fping itself timed out)
        long resolutionStart = System.nanoTime();
        Map<String, List<JobPair>> toResolve = resolutionPairs(bySource);
        Map<String, Future<Set<String>>> resolving = new LinkedHashMap<>();
        toResolve.forEach((netns, group) -> resolving.put(netns, pool.submit(() -> group.isEmpty() ? Set.<String>of()
                : resolveByFping(netns, destinations(group)))));
        Map<String, Set<String>> unresolvedBySource = new LinkedHashMap<>();
        resolving.forEach((netns, f) -> unresolvedBySource.put(netns, new HashSet<>(get(f))));
        // a pair left out of its source's round was resolved from the other side: unresolved if that was
        for (Map.Entry<String, List<JobPair>> e : bySource.entrySet()) {
            Set<String> resolvedHere = toResolve.get(e.getKey()).stream().map(JobPair::getDestinationAddress).collect(java.util.stream.Collectors.toSet());
            for (JobPair p : e.getValue()) {
                if (!resolvedHere.contains(p.getDestinationAddress()) && reverseUnanswered(bySource, unresolvedBySource, p)) {
                    unresolvedBySource.get(e.getKey()).add(p.getDestinationAddress());
                }
            }
        }
        LOG.debug("resolution round of {} sources in {} ms", toResolve.size(), (System.nanoTime() - resolutionStart) / 1_000_000);
        long countedStart = System.nanoTime();
        Map<String, Future<Map<String, PairResult>>> counting = new LinkedHashMap<>();
        bySource.forEach((netns, group) -> counting.put(netns, pool.submit(() -> countedFping(netns, destinations(group), count, intervalSec, packetSize))));
        Map<String, SourceRound> bySourceResults = new LinkedHashMap<>();
        counting.forEach((netns, f) -> bySourceResults.put(netns, new SourceRound(get(f), unresolvedBySource.get(netns))));
        LOG.debug("counted round of {} sources in {} ms", bySource.size(), (System.nanoTime() - countedStart) / 1_000_000);
        List<PairResult> results = new ArrayList<>();
        int unresolved = 0;
        for (JobPair p : pairs) {
            SourceRound round = bySourceResults.get(p.getSourceNetns());
            PairResult r = round.counted().get(p.getDestinationAddress());
            if (r == null) {
                r = PairResult.builder().sent((long) count).received(0L).lossPercent(100.0)
                        .error("fping reported nothing for " + p.getDestinationAddress()).build();
            }
            unresolved += round.unresolved().contains(p.getDestinationAddress()) ? 1 : 0;
            results.add(named(r, p));
        }
        return new Round(results, unresolved);
    }

    /** One source's counted results by destination address, and the destinations that did not answer its resolution round. */
    private record SourceRound(Map<String, PairResult> counted, Set<String> unresolved) {
    }

    /**
     * The pairs each source's resolution round asks for: one per unordered pair of sources. A host that answers an
     * echo from a host it does not know asks for it (or learns it from its ARP request), so once D's round has had
     * an answer from S, S knows D too; S's round then leaves D out when D came first. Each first ARP request is
     * flooded to every host of the L2 domain: this halves that flooding (4,950 requests instead of 9,900 for 100
     * sampled hosts of the 10,000-host tree, each delivered 10,000 times).
     */
    static Map<String, List<JobPair>> resolutionPairs(Map<String, List<JobPair>> bySource) {
        Map<String, Integer> order = new java.util.HashMap<>();
        Set<String> asked = new HashSet<>();
        for (Map.Entry<String, List<JobPair>> e : bySource.entrySet()) {
            order.putIfAbsent(e.getKey(), order.size());
            e.getValue().forEach(p -> asked.add(e.getKey() + "\n" + p.getDestinationNetns()));
        }
        Map<String, List<JobPair>> out = new LinkedHashMap<>();
        bySource.forEach((source, group) -> out.put(source, group.stream().filter(p -> {
            Integer other = order.get(p.getDestinationNetns());
            return other == null || other >= order.get(source) || !asked.contains(p.getDestinationNetns() + "\n" + source);
        }).toList()));
        return out;
    }

    /** Whether the destination of {@code p}, as a source, did not hear from {@code p}'s source in its resolution round. */
    private static boolean reverseUnanswered(Map<String, List<JobPair>> bySource, Map<String, Set<String>> unresolvedBySource, JobPair p) {
        List<JobPair> reverse = bySource.getOrDefault(p.getDestinationNetns(), List.of());
        return reverse.stream().filter(r -> p.getSourceNetns().equals(r.getDestinationNetns()))
                .anyMatch(r -> unresolvedBySource.getOrDefault(p.getDestinationNetns(), Set.of()).contains(r.getDestinationAddress()));
    }

    private static List<String> destinations(List<JobPair> group) {
        return group.stream().map(JobPair::getDestinationAddress).distinct().toList();
    }

    /**
     * The uncounted resolution round of one source: {@code nsenter --net=/run/netns/SRC -- fping -u -r 1 -t 800 -i 1 DST…}, which
     * prints the destinations that did not answer, one per line. Answered destinations cost one round trip.
     */
    private static Set<String> resolveByFping(String netns, List<String> addresses) {
        List<String> args = new ArrayList<>(List.of("-u", "-r", "1", "-t", Integer.toString(RESOLUTION_FIRST_TIMEOUT_MS), "-i", "1"));
        args.add("--");
        args.addAll(addresses);
        // a generous limit: the round is not counted, and one cut short leaves its destinations to be resolved by the
        // counted echoes (flooded ARP requests while other sources count); a starved fping is slow, not lost
        CommandRunner.Result r = CommandRunner.run(Netns.exec(netns, "fping", args),
                Duration.ofMillis(RESOLUTION_WINDOW_MS + addresses.size() * 20L + 60_000));
        if (!r.ok() && r.exitCode() != 1) {
            // 1: some destinations did not answer (listed); anything else: fping itself failed, nothing was resolved
            return new HashSet<>(addresses);
        }
        Set<String> unanswered = new HashSet<>();
        r.stdout().lines().map(String::strip).filter(addresses::contains).forEach(unanswered::add);
        return unanswered;
    }

    /** {@code nsenter --net=/run/netns/SRC -- fping -q -c COUNT -t 1000 -p PERIOD -i 1 [-b SIZE] DST…}; per-target lines on stderr. */
    private static Map<String, PairResult> countedFping(String netns, List<String> addresses, int count, double intervalSec, Integer packetSize) {
        List<String> args = new ArrayList<>(List.of("-q", "-c", Integer.toString(count),
                "-t", Integer.toString(REPLY_TIMEOUT_SECONDS * 1000),
                // -p: period between echoes to one target; -i: gap between targets (1 ms is the floor fping accepts)
                "-p", Long.toString(Math.max(10, Math.round(intervalSec * 1000))), "-i", "1"));
        if (packetSize != null) {
            args.add("-b");
            args.add(Integer.toString(packetSize));
        }
        args.add("--");
        args.addAll(addresses);
        Duration limit = Duration.ofMillis((long) (count * Math.max(intervalSec, 0.01) * 1000) + addresses.size() * 5L * count
                + REPLY_TIMEOUT_SECONDS * 1000L + 30_000);
        CommandRunner.Result r = CommandRunner.run(Netns.exec(netns, "fping", args), limit);
        Map<String, PairResult> parsed = PingParser.fping(r.stderr() + "\n" + r.stdout());
        if (parsed.isEmpty() && !r.ok()) {
            throw new TrafficJobException(r.describe());
        }
        return parsed;
    }

    private static PairResult named(PairResult r, JobPair p) {
        return r.toBuilder().source(p.getSource()).destination(p.getDestination()).build();
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrafficJobException("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new TrafficJobException(String.valueOf(cause));
        }
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, "traffic-" + name);
        t.setDaemon(true);
        return t;
    }
}
