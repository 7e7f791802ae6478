package io.nfvlab.agent.traffic;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJob.JobPair;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.Trial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Runs the traffic jobs of node states with real programs (ping, fping, iperf3) inside the hosts' namespaces, on a
 * bounded pool; each job's result is kept under (state, id, runKey) until the job leaves the spec. Judges nothing:
 * a job Succeeds when its traffic ran (pass criteria are the operator's), Fails when it could not run.
 * A {@link MeterBinder}: the agent binds it to the registry behind its /metrics (the one given to the constructor
 * keeps receiving the meters too).
 */
public final class ProcessTrafficJobs implements TrafficJobs, MeterBinder, AutoCloseable {
    public static final String RUNNING = "Running";
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";
    public static final String ROLE_SERVER = "server";

    private static final Logger LOG = LoggerFactory.getLogger(ProcessTrafficJobs.class);

    private final ExecutorService executor;
    private final CompositeMeterRegistry registries = new CompositeMeterRegistry();
    private final TrafficMetrics metrics;
    private final PingRunner ping;
    private final IperfRunner iperf = new IperfRunner();
    private final TestpmdTraffic testpmd;
    private final Map<String, Running> jobs = new ConcurrentHashMap<>();

    /** A job in flight or finished; {@code result} is replaced once, when it ends. */
    private static final class Running {
        final String runKey;
        volatile TrafficJobResult result;
        volatile Future<?> future;
        final List<Iperf3Server> servers = new java.util.concurrent.CopyOnWriteArrayList<>();

        Running(String runKey, TrafficJobResult result) {
            this.runKey = runKey;
            this.result = result;
        }
    }

    public ProcessTrafficJobs(MeterRegistry registry) {
        this(registry, 4, 32, null);
    }

    /**
     * @param maxJobs      jobs running at once on this node (more wait in line)
     * @param pingParallel ping/fping processes at once within one job
     * @param testpmd      the DPDK runner, or null while none exists (testpmd jobs then fail saying so)
     */
    public ProcessTrafficJobs(MeterRegistry registry, int maxJobs, int pingParallel, TestpmdTraffic testpmd) {
        registries.add(registry);
        this.metrics = new TrafficMetrics(registries);
        this.executor = Executors.newFixedThreadPool(maxJobs, r -> PingRunner.daemon(r, "job"));
        this.ping = PingRunner.forThisNode(pingParallel);
        this.testpmd = testpmd;
    }

    /** Publishes the traffic meters on {@code registry} as well (meters recorded before included). */
    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
    }

    @Override
    public List<TrafficJobResult> sync(NetworkNodeState state) {
        String stateName = state.getMetadata().getName();
        List<TrafficJob> wanted = state.getSpec() == null ? List.of() : state.getSpec().trafficJobsOrEmpty();
        Map<String, TrafficJobResult> reported = reportedResults(state);
        Set<String> keys = wanted.stream().map(j -> key(stateName, j.getId())).collect(Collectors.toSet());
        stopAll(k -> k.startsWith(stateName + "/") && !keys.contains(k));

        List<TrafficJobResult> results = new ArrayList<>();
        for (TrafficJob job : wanted) {
            String key = key(stateName, job.getId());
            Running current = jobs.get(key);
            if (current == null || !Objects.equals(current.runKey, job.getRunKey())) {
                if (current != null) {
                    stop(key);
                }
                TrafficJobResult done = reported.get(job.getId());
                if (done != null && Objects.equals(done.getRunKey(), job.getRunKey()) && !RUNNING.equals(done.getPhase())) {
                    // finished before an agent restart: the status already holds it; do not run it again
                    current = new Running(job.getRunKey(), done);
                    jobs.put(key, current);
                } else {
                    current = start(state, job, key);
                }
            }
            results.add(current.result);
        }
        return results;
    }

    @Override
    public void forget(NetworkNodeState state) {
        String stateName = state.getMetadata().getName();
        stopAll(k -> k.startsWith(stateName + "/"));
        OwnerRef owner = state.getSpec() == null ? null : state.getSpec().getOwner();
        if (owner != null) {
            metrics.forget(owner.getNamespace(), owner.getName());
        }
    }

    @Override
    public void close() {
        stopAll(k -> true);
        executor.shutdownNow();
    }

    private Running start(NetworkNodeState state, TrafficJob job, String key) {
        String started = now();
        Running running = new Running(job.getRunKey(), TrafficJobResult.builder()
                .id(job.getId()).runKey(job.getRunKey()).phase(RUNNING).startTime(started).build());
        jobs.put(key, running);
        OwnerRef owner = state.getSpec().getOwner();
        String namespace = owner == null ? null : owner.getNamespace();
        String test = owner == null ? job.getId() : owner.getName();
        running.future = executor.submit(() -> {
            TrafficJobResult result;
            try {
                result = ROLE_SERVER.equals(job.getRole()) ? serve(job, running) : execute(state, job);
                if (result.getPhase() == null) {
                    result.setPhase(SUCCEEDED);
                }
            } catch (TrafficJobException e) {
                result = TrafficJobResult.builder().phase(FAILED).message(e.getMessage()).build();
            } catch (RuntimeException e) {
                LOG.warn("traffic job {} failed", key, e);
                result = TrafficJobResult.builder().phase(FAILED).message(e.toString()).build();
            } finally {
                closeServer(running);
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            result.setId(job.getId());
            result.setRunKey(job.getRunKey());
            result.setStartTime(started);
            if (!RUNNING.equals(result.getPhase())) {
                result.setCompletionTime(now());
                metrics.countRun(namespace, test, SUCCEEDED.equals(result.getPhase()) ? "succeeded" : "failed");
            }
            if (result.getResults() != null) {
                metrics.recordResults(namespace, test, result.getResults());
            }
            running.result = result;
        });
        return running;
    }

    private TrafficJobResult execute(NetworkNodeState state, TrafficJob job) {
        TrafficTestSpec test = job.getTest();
        if (test == null || test.getType() == null) {
            throw new TrafficJobException("job " + job.getId() + " has no test type");
        }
        TrafficType type = test.getType();
        boolean testpmdGenerator = (type == TrafficType.THROUGHPUT_SEARCH || type == TrafficType.RFC2544)
                && test.getSearch() != null && "testpmd".equals(test.getSearch().getGenerator());
        if (type == TrafficType.TESTPMD || testpmdGenerator) {
            if (testpmd == null) {
                throw new TrafficJobException("testpmd traffic is not available on this agent (no DPDK runner is configured)");
            }
            return testpmd.run(state, job);
        }
        List<JobPair> pairs = job.pairsOrEmpty();
        if (pairs.isEmpty()) {
            throw new TrafficJobException("job " + job.getId() + " has no pairs");
        }
        return switch (type) {
            case PING -> pings(pairs, test, 10, false);
            case PINGPAIR, PINGALL -> pings(pairs, test, 1, true);
            case IPERF, IPERFUDP -> iperfs(job, pairs, test, type == TrafficType.IPERFUDP);
            case THROUGHPUT_SEARCH, RFC2544 -> search(job, pairs.get(0), test);
            default -> throw new TrafficJobException("type " + type + " is not run by the agent");
        };
    }

    private TrafficJobResult pings(List<JobPair> pairs, TrafficTestSpec test, int defaultCount, boolean all) {
        requireTools(Tool.IP, Tool.PING);
        int count = test.getCount() == null ? defaultCount : test.getCount();
        double interval = test.getIntervalSec() == null ? 0.2 : test.getIntervalSec();
        PingRunner.Echoes echoes = !all && pairs.size() == 1
                ? ping.ping(pairs.get(0), count, interval, test.getPacketSize())
                : ping.pingMany(pairs, count, interval, test.getPacketSize());
        return TrafficJobResult.builder().results(echoes.results()).message(echoes.message()).build();
    }

    private TrafficJobResult iperfs(TrafficJob job, List<JobPair> pairs, TrafficTestSpec test, boolean udp) {
        requireTools(Tool.IP, Tool.IPERF3);
        int port = portOf(job);
        double seconds = test.getDurationSeconds() == null ? 5 : test.getDurationSeconds();
        Double rate = udp ? (test.getBandwidthMbps() == null ? 10.0 : test.getBandwidthMbps()) * 1e6 : null;
        List<PairResult> results = new ArrayList<>();
        // one pair at a time: parallel iperfs would share the links and measure each other
        for (JobPair pair : pairs) {
            try (Iperf3Server server = serverFor(pair, port)) {
                results.add(iperf.run(pair, port, new IperfRunner.Load(udp, rate, seconds, test.getPacketSize(), test.getParallel())).result());
            } catch (TrafficJobException e) {
                results.add(PairResult.builder().source(pair.getSource()).destination(pair.getDestination()).error(e.getMessage()).build());
            }
        }
        return TrafficJobResult.builder().results(results).build();
    }

    private TrafficJobResult search(TrafficJob job, JobPair pair, TrafficTestSpec test) {
        requireTools(Tool.IP, Tool.IPERF3);
        int port = portOf(job);
        ThroughputSearch.Settings settings = ThroughputSearch.Settings.of(test.getSearch());
        double seconds = test.getSearch() == null || test.getSearch().getTrialSeconds() == null
                ? ThroughputSearch.DEFAULT_TRIAL_SECONDS : test.getSearch().getTrialSeconds();
        List<PairResult> last = new ArrayList<>();
        ThroughputSearch.Outcome outcome;
        try (Iperf3Server server = serverFor(pair, port)) {
            outcome = ThroughputSearch.run(settings, mbps -> {
                IperfRunner.Measurement m = iperf.run(pair, port, new IperfRunner.Load(true, mbps * 1e6, seconds, test.getPacketSize(), null));
                Trial t = ThroughputSearch.judge(mbps, m.sentBitsPerSecond() / 1e6, m.result().getBitsPerSecond() / 1e6,
                        m.result().getLossPercent(), settings.lossThresholdPercent());
                if (Boolean.TRUE.equals(t.getPassed())) {
                    last.clear();
                    last.add(m.result());
                }
                return t;
            });
        }
        PairResult best = last.isEmpty()
                ? PairResult.builder().source(pair.getSource()).destination(pair.getDestination())
                .error("no rate from " + settings.minRate() + " Mbit/s up met the loss threshold").build()
                : last.get(0);
        return TrafficJobResult.builder().results(List.of(best)).trials(outcome.trials()).foundRate(outcome.foundRate()).build();
    }

    /** Role server: iperf3 servers in this node's destination hosts for clients on other nodes, until the job goes. */
    private TrafficJobResult serve(TrafficJob job, Running running) {
        requireTools(Tool.IP, Tool.IPERF3);
        int port = portOf(job);
        List<String> namespaces = job.pairsOrEmpty().stream().map(JobPair::getDestinationNetns).filter(Objects::nonNull).distinct().toList();
        if (namespaces.isEmpty()) {
            throw new TrafficJobException("server job " + job.getId() + " names no destination namespace");
        }
        for (String netns : namespaces) {
            running.servers.add(Iperf3Server.start(netns, port));
        }
        running.result = running.result.toBuilder().message("iperf3 listening on port " + port + " in " + String.join(", ", namespaces)).build();
        try {
            while (running.servers.stream().allMatch(Iperf3Server::alive)) {
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TrafficJobResult.builder().phase(SUCCEEDED).message("stopped").build();
        }
        throw new TrafficJobException("an iperf3 server of job " + job.getId() + " exited");
    }

    private static int portOf(TrafficJob job) {
        return job.getPort() != null ? job.getPort() : IperfRunner.portFor(job.getId());
    }

    /** A server in the destination's namespace when it is on this node; otherwise the peer node's server role has one. */
    private static Iperf3Server serverFor(JobPair pair, int port) {
        return pair.getDestinationNetns() == null ? null : Iperf3Server.start(pair.getDestinationNetns(), port);
    }

    private static void requireTools(Tool... tools) {
        Tool.firstMissing(tools).ifPresent(t -> {
            throw new TrafficJobException(t.missingMessage());
        });
    }

    private void stopAll(java.util.function.Predicate<String> which) {
        for (String key : List.copyOf(jobs.keySet())) {
            if (which.test(key)) {
                stop(key);
            }
        }
    }

    private void stop(String key) {
        Running r = jobs.remove(key);
        if (r != null) {
            Future<?> f = r.future;
            if (f != null) {
                f.cancel(true);
            }
            closeServer(r);
        }
    }

    private static void closeServer(Running r) {
        for (Iperf3Server s : r.servers) {
            s.close();
            r.servers.remove(s);
        }
    }

    private static Map<String, TrafficJobResult> reportedResults(NetworkNodeState state) {
        Map<String, TrafficJobResult> map = new LinkedHashMap<>();
        if (state.getStatus() != null && state.getStatus().getTrafficResults() != null) {
            state.getStatus().getTrafficResults().forEach(r -> map.put(r.getId(), r));
        }
        return map;
    }

    private static String key(String stateName, String jobId) {
        return stateName + "/" + jobId;
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
