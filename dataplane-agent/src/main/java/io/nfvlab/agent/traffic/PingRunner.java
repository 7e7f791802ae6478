package io.nfvlab.agent.traffic;

import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.node.Tool;
import io.nfvlab.api.node.TrafficJob.JobPair;
import io.nfvlab.api.traffic.PairResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Echo tests inside host namespaces. {@code ping} runs one iputils ping per pair. {@code pingall} (and pingpair) sends
 * Mininet's one echo per ordered pair; with fping installed it runs one fping per source host towards all of that
 * host's destinations (a process per pair costs ≈4 ms of CPU, which would dominate a 4032-pair pingall), otherwise
 * one ping per pair. Either way the work is spread over a bounded number of threads.
 */
public final class PingRunner {
    /** Seconds to wait for a reply that is not coming, per echo (Mininet's pingall passes no -W; ping then waits 10 s). */
    static final int REPLY_TIMEOUT_SECONDS = 1;

    private final int parallelism;
    private final boolean useFping;

    public PingRunner(int parallelism, boolean useFping) {
        this.parallelism = Math.max(1, parallelism);
        this.useFping = useFping;
    }

    public static PingRunner forThisNode(int parallelism) {
        return new PingRunner(parallelism, Programs.installed(Tool.FPING));
    }

    /** One iputils ping run: {@code ip netns exec SRC ping -n -c COUNT -i INTERVAL -W 1 [-s SIZE] DST}. */
    public PairResult ping(JobPair pair, int count, double intervalSec, Integer packetSize) {
        List<String> args = new ArrayList<>(List.of("-n", "-c", Integer.toString(count),
                "-i", String.format(Locale.ROOT, "%.3f", intervalSec), "-W", Integer.toString(REPLY_TIMEOUT_SECONDS)));
        if (packetSize != null) {
            args.add("-s");
            args.add(Integer.toString(packetSize));
        }
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

    /** Pings every pair (count echoes each), in parallel, bounded. Results in the order of {@code pairs}. */
    public List<PairResult> pingMany(List<JobPair> pairs, int count, double intervalSec, Integer packetSize) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, pairs.size())),
                r -> daemon(r, "ping"));
        try {
            if (useFping) {
                return viaFping(pairs, count, intervalSec, packetSize, pool);
            }
            List<Future<PairResult>> futures = new ArrayList<>();
            for (JobPair p : pairs) {
                futures.add(pool.submit(() -> ping(p, count, intervalSec, packetSize)));
            }
            List<PairResult> results = new ArrayList<>();
            for (Future<PairResult> f : futures) {
                results.add(get(f));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private List<PairResult> viaFping(List<JobPair> pairs, int count, double intervalSec, Integer packetSize, ExecutorService pool) {
        Map<String, List<JobPair>> bySource = new LinkedHashMap<>();
        for (JobPair p : pairs) {
            bySource.computeIfAbsent(p.getSourceNetns(), k -> new ArrayList<>()).add(p);
        }
        Map<String, Future<Map<String, PairResult>>> futures = new LinkedHashMap<>();
        bySource.forEach((netns, group) -> futures.put(netns, pool.submit(() -> fping(netns, group, count, intervalSec, packetSize))));
        Map<String, Map<String, PairResult>> bySourceResults = new LinkedHashMap<>();
        futures.forEach((netns, f) -> bySourceResults.put(netns, get(f)));
        List<PairResult> results = new ArrayList<>();
        for (JobPair p : pairs) {
            PairResult r = bySourceResults.get(p.getSourceNetns()).get(p.getDestinationAddress());
            if (r == null) {
                r = PairResult.builder().sent((long) count).received(0L).lossPercent(100.0)
                        .error("fping reported nothing for " + p.getDestinationAddress()).build();
            }
            results.add(named(r, p));
        }
        return results;
    }

    /** {@code ip netns exec SRC fping -q -c COUNT -t 1000 -p PERIOD -i 1 [-b SIZE] DST…}; per-target lines on stderr. */
    private Map<String, PairResult> fping(String netns, List<JobPair> group, int count, double intervalSec, Integer packetSize) {
        List<String> args = new ArrayList<>(List.of("-q", "-c", Integer.toString(count),
                "-t", Integer.toString(REPLY_TIMEOUT_SECONDS * 1000),
                // -p: period between echoes to one target; -i: gap between targets (1 ms is the floor fping accepts)
                "-p", Long.toString(Math.max(10, Math.round(intervalSec * 1000))), "-i", "1"));
        if (packetSize != null) {
            args.add("-b");
            args.add(Integer.toString(packetSize));
        }
        List<String> addresses = group.stream().map(JobPair::getDestinationAddress).distinct().toList();
        args.addAll(addresses);
        Duration limit = Duration.ofMillis((long) (count * Math.max(intervalSec, 0.01) * 1000) + addresses.size() * 5L * count
                + REPLY_TIMEOUT_SECONDS * 1000L + 10_000);
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
