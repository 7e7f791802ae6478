package io.nfvlab.agent.traffic.dispatch;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.nfvlab.agent.traffic.JobContext;
import io.nfvlab.agent.traffic.JobResults;
import io.nfvlab.agent.traffic.KindRunner;
import io.nfvlab.agent.traffic.PingRunner;
import io.nfvlab.agent.traffic.TrafficJobException;
import io.nfvlab.agent.traffic.TrafficJobs;
import io.nfvlab.agent.traffic.TrafficMetrics;
import io.nfvlab.agent.traffic.iperf.IperfJobs;
import io.nfvlab.agent.traffic.ping.PingJobs;
import io.nfvlab.agent.traffic.rfc2544.DpdkRfc2544Path;
import io.nfvlab.agent.traffic.rfc2544.Rfc2544Jobs;
import io.nfvlab.agent.traffic.testpmd.DpdkTestpmdTraffic;
import io.nfvlab.agent.traffic.search.SearchJobs;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.node.TrafficJobResult.JobPhase;
import io.nfvlab.api.traffic.kinds.ThroughputSearchKind;
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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs the traffic jobs of node states with real programs (ping, fping, iperf3, testpmd) inside the hosts'
 * namespaces, on a bounded pool, each with the runner of its kind ({@link #runnerFor}); each job's result is kept under
 * (state, id, runKey) until the job leaves the spec. Judges nothing: a job Succeeds when its traffic ran (pass
 * criteria are the operator's), Fails when it could not run.
 * A {@link MeterBinder}: the agent binds it to the registry behind its /metrics (the one given to the constructor
 * keeps receiving the meters too).
 */
public final class ProcessTrafficJobs implements TrafficJobs, MeterBinder, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessTrafficJobs.class);

    private final ExecutorService executor;
    private final CompositeMeterRegistry registries = new CompositeMeterRegistry();
    private final TrafficMetrics metrics;
    private final KindRunner ping;
    private final KindRunner iperf = new IperfJobs();
    private final KindRunner search = new SearchJobs();
    private final KindRunner testpmd;
    private final KindRunner rfc2544;
    private final Map<String, Running> jobs = new ConcurrentHashMap<>();
    private volatile java.util.function.LongSupplier nodeDrops = () -> 0;
    /** Kills jobs at their timeoutSeconds: a thread apart from the job threads, which may all be busy. */
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "traffic-job-deadline");
        t.setDaemon(true);
        return t;
    });
    private volatile Consumer<String> jobEnded = stateName -> {
    };

    /**
     * A job in flight or finished; {@code result} is replaced once, when it ends or is killed at its timeout
     * (whichever {@code settled} first).
     */
    private static final class Running {
        final String runKey;
        volatile TrafficJobResult result;
        volatile Future<?> future;
        volatile ScheduledFuture<?> deadline;
        final AtomicBoolean settled = new AtomicBoolean();
        final List<AutoCloseable> owned = new java.util.concurrent.CopyOnWriteArrayList<>();

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
     * @param testpmd      the DPDK runner ({@code traffic.testpmd}), or null while none exists (testpmd jobs then fail
     *                     saying so)
     */
    public ProcessTrafficJobs(MeterRegistry registry, int maxJobs, int pingParallel, KindRunner testpmd) {
        registries.add(registry);
        this.metrics = new TrafficMetrics(registries);
        this.executor = Executors.newFixedThreadPool(maxJobs, r -> {
            Thread t = new Thread(r, "traffic-job");
            t.setDaemon(true);
            return t;
        });
        this.ping = new PingJobs(PingRunner.forThisNode(pingParallel));
        this.testpmd = testpmd != null ? testpmd : (job, context) -> {
            throw new TrafficJobException("testpmd traffic is not available on this agent (no DPDK runner is configured)");
        };
        // rfc2544's DPDK path finds its ports as testpmd jobs do
        this.rfc2544 = new Rfc2544Jobs(testpmd instanceof DpdkTestpmdTraffic dpdk
                ? (job, context) -> DpdkRfc2544Path.open(job, dpdk::vhostUserPort)
                : (job, context) -> {
                    throw new TrafficJobException("the rfc2544 DPDK path is not available on this agent (no DPDK runner is configured)");
                });
    }

    @Override
    public void countNodeDropsFrom(java.util.function.LongSupplier byteBoundDrops) {
        this.nodeDrops = byteBoundDrops;
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
                if (done != null && Objects.equals(done.getRunKey(), job.getRunKey()) && done.getPhase() != JobPhase.RUNNING) {
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

    /**
     * Stops every running job and server at once, keeping each as Failed with {@code why}, so that a reconcile that
     * still finds its state does not start it again. For a run being torn down as a whole (Ctrl-C on {@code nfvlab
     * run}): its jobs would otherwise run, and load the node, until the agent reached each state's deletion in turn.
     */
    public void stopEverything(String why) {
        for (Running r : List.copyOf(jobs.values())) {
            if (r.settled.compareAndSet(false, true)) {
                TrafficJobResult was = r.result;
                r.result = TrafficJobResult.builder().id(was.getId()).runKey(was.getRunKey()).phase(JobPhase.FAILED)
                        .startTime(was.getStartTime()).completionTime(now()).message(why).build();
            }
            halt(r);
        }
    }

    @Override
    public void close() {
        stopAll(k -> true);
        executor.shutdownNow();
        deadlines.shutdownNow();
    }

    @Override
    public void onJobEnd(Consumer<String> listener) {
        jobEnded = listener;
    }

    private Running start(NetworkNodeState state, TrafficJob job, String key) {
        String stateName = state.getMetadata().getName();
        String started = now();
        Running running = new Running(job.getRunKey(), TrafficJobResult.builder()
                .id(job.getId()).runKey(job.getRunKey()).phase(JobPhase.RUNNING).startTime(started).build());
        jobs.put(key, running);
        OwnerRef owner = state.getSpec().getOwner();
        String namespace = owner == null ? null : owner.getNamespace();
        String test = owner == null ? job.getId() : owner.getName();
        running.future = executor.submit(() -> {
            TrafficJobResult result;
            long dropsBefore = nodeDrops.getAsLong();
            try {
                result = execute(state, job, running);
                if (result.getPhase() == null) {
                    result.setPhase(JobPhase.SUCCEEDED);
                }
            } catch (TrafficJobException e) {
                result = TrafficJobResult.builder().phase(JobPhase.FAILED).message(e.getMessage()).build();
            } catch (RuntimeException e) {
                LOG.warn("traffic job {} failed", key, e);
                result = TrafficJobResult.builder().phase(JobPhase.FAILED).message(e.toString()).build();
            } finally {
                closeServer(running);
            }
            if (Thread.currentThread().isInterrupted() || !running.settled.compareAndSet(false, true)) {
                return;   // stopped, or killed at its timeout (which wrote the result)
            }
            ScheduledFuture<?> deadline = running.deadline;
            if (deadline != null) {
                deadline.cancel(false);
            }
            long dropped = nodeDrops.getAsLong() - dropsBefore;
            if (dropped > 0) {
                String note = "the delay lines on this node dropped " + dropped + " frames at the agent's byte bound while this "
                        + "job ran (nfvlab_link_queue_drops_total{bound=\"bytes\"}): some of the loss may be this node's, "
                        + "not the emulated links'";
                result.setMessage(result.getMessage() == null || result.getMessage().isEmpty() ? note : result.getMessage() + "; " + note);
            }
            result.setId(job.getId());
            result.setRunKey(job.getRunKey());
            result.setStartTime(started);
            if (result.getPhase() != JobPhase.RUNNING) {
                result.setCompletionTime(now());
                metrics.countRun(namespace, test, result.getPhase() == JobPhase.SUCCEEDED ? "succeeded" : "failed");
            }
            if (result.getResults() != null) {
                metrics.recordResults(namespace, test, result.getResults());
            }
            if (result.getRfc2544() != null) {
                metrics.recordRfc2544(namespace, test, result.getRfc2544());
            }
            // per-pair results stay on this node; the state's status gets totals and the troubled pairs first
            running.result = JobResults.aggregated(result);
            jobEnded.accept(stateName);
        });
        if (job.getTimeoutSeconds() != null && job.getTimeoutSeconds() > 0) {
            running.deadline = deadlines.schedule(() -> expire(key, running, job, started, namespace, test),
                    job.getTimeoutSeconds(), TimeUnit.SECONDS);
        }
        return running;
    }

    /**
     * The job outlived its timeoutSeconds: it fails saying so, and its thread is interrupted, which kills its processes
     * (CommandRunner kills a process whose waiter is interrupted) and closes its servers.
     */
    private void expire(String key, Running running, TrafficJob job, String started, String namespace, String test) {
        if (!running.settled.compareAndSet(false, true)) {
            return;
        }
        boolean server = job.getRole() == TrafficJob.Role.SERVER;
        LOG.warn("traffic job {} killed at its timeoutSeconds ({} s)", key, job.getTimeoutSeconds());
        running.result = TrafficJobResult.builder().id(job.getId()).runKey(job.getRunKey()).phase(JobPhase.FAILED)
                .startTime(started).completionTime(now())
                .message((server ? "servers stopped" : "killed") + " at timeoutSeconds (" + job.getTimeoutSeconds()
                        + " s) before the run ended")
                .build();
        Future<?> f = running.future;
        if (f != null) {
            f.cancel(true);
        }
        closeServer(running);
        metrics.countRun(namespace, test, "failed");
    }

    private TrafficJobResult execute(NetworkNodeState state, TrafficJob job, Running running) {
        if (job.getType() == null) {
            throw new TrafficJobException("job " + job.getId() + " has no test type");
        }
        KindRunner runner = runnerFor(job);
        JobContext context = new JobContext() {
            @Override
            public NetworkNodeState state() {
                return state;
            }

            @Override
            public void own(AutoCloseable resource) {
                running.owned.add(resource);
            }

            @Override
            public void progress(String message) {
                running.result = running.result.toBuilder().message(message).build();
            }
        };
        return switch (job.getRole() == null ? TrafficJob.Role.CLIENT : job.getRole()) {
            case CLIENT -> runner.run(job, context);
            case SERVER -> runner.serve(job, context);
        };
    }

    /** The registry of this node's runners: one per kind (no default, so a new type needs its runner here). */
    private KindRunner runnerFor(TrafficJob job) {
        return switch (job.getType()) {
            case PING, PINGPAIR, PINGALL -> ping;
            case IPERF, IPERFUDP -> iperf;
            case THROUGHPUT_SEARCH -> ThroughputSearchKind.onTestpmd(job.parametersOrEmpty()) ? testpmd : search;
            case RFC2544 -> rfc2544;
            case TESTPMD -> testpmd;
        };
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
            halt(r);
        }
    }

    /** Cancels the job's deadline and its work (interrupting the tool it waits on) and closes what it owns. */
    private static void halt(Running r) {
        ScheduledFuture<?> deadline = r.deadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
        Future<?> f = r.future;
        if (f != null) {
            f.cancel(true);
        }
        closeServer(r);
    }

    private static void closeServer(Running r) {
        for (AutoCloseable s : r.owned) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", s, e);
            }
            r.owned.remove(s);
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
