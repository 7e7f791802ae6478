package io.nfvlab.agent.traffic.rfc2544;

import io.nfvlab.agent.ovsdpdk.VhostSockets;
import io.nfvlab.agent.traffic.TrafficJobException;
import io.nfvlab.agent.traffic.generator.DpdkGenerator;
import io.nfvlab.agent.traffic.testpmd.TestpmdRunner;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.traffic.TestpmdSpec;
import io.nfvlab.api.traffic.kinds.Rfc2544Kind;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The DPDK path of one rfc2544 job, in one of two shapes (spec.rfc2544.dpdk.dutMode):
 * <ul>
 * <li>bridge: the DpdkBridge is the device under test. Each trial is one nfvlab-gen run sending on the generator's
 * port and counting on the other host's port; nothing else polls, so OVS's PMD (pmd-cpu-mask) and the generator
 * (lcore 0) each keep a CPU of a two-core machine, and the generator polls (latency exact to the microsecond), at
 * OVS's priority so that other work on its CPU does not overflow its receive ring.</li>
 * <li>macswap or io: dpdk-testpmd forwarding on the device under test's port for the whole job, on a thread of its
 * own until the job ends (closing the path stops it; its hugepage memory is --in-memory, and any file of its prefix
 * is removed), and nfvlab-gen trials on the generator's port. The generator shares CPU 0 with testpmd, so it sleeps
 * between frames rather than poll: the DUT gets the CPU, and latency reads up to one frame interval high. Three
 * busy pollers on two CPUs lose frames whenever the scheduler runs the wrong one: this shape needs a third core.</li>
 * </ul>
 */
public final class DpdkRfc2544Path implements Rfc2544Jobs.DpdkPath {
    /** The device under test runs at most this long when the job carries no timeout. */
    static final Duration DEFAULT_DUT_LIFETIME = Duration.ofHours(1);

    /** testpmd's thread; null when the bridge is the device under test. */
    private final Thread dut;
    /** What testpmd reported when it ended; null while it runs (and always when the bridge is the device under test). */
    private final AtomicReference<TestpmdRunner.Report> dutEnded;
    private final GeneratorTrials trials;

    private DpdkRfc2544Path(Thread dut, AtomicReference<TestpmdRunner.Report> dutEnded, GeneratorTrials trials) {
        this.dut = dut;
        this.dutEnded = dutEnded;
        this.trials = trials;
    }

    /**
     * @param ports vhost-user port name → its attachment on this node (as testpmd jobs find theirs)
     * @throws TrafficJobException when a port is not planned here or no nfvlab-gen is installed
     */
    public static DpdkRfc2544Path open(TrafficJob job, Function<String, Optional<VhostSockets.Attachment>> ports) {
        TestpmdSpec spec = job.parametersOrEmpty().getTestpmd();
        if (spec == null || spec.getPorts() == null || spec.getPorts().size() != 2) {
            throw new TrafficJobException("job " + job.getId() + " does not name the generator's and the device under test's ports");
        }
        VhostSockets.Attachment generatorPort = attachment(ports, spec.getPorts().get(0), "spec.rfc2544.dpdk.generator");
        VhostSockets.Attachment dutPort = attachment(ports, spec.getPorts().get(1), "spec.rfc2544.dpdk.dut");
        if (Rfc2544Kind.bridgeIsDut(job.parametersOrEmpty().getRfc2544())) {
            GeneratorTrials trials = new GeneratorTrials(DpdkGenerator.onThisNode().atOvsPriority(), generatorPort, dutPort);
            return new DpdkRfc2544Path(null, new AtomicReference<>(), trials);
        }
        DpdkGenerator generator = DpdkGenerator.onThisNode().sleepingWhenIdle();
        String prefix = ("nfv25-" + job.getId()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        prefix = prefix.substring(0, Math.min(prefix.length(), 32));
        Duration lifetime = job.getTimeoutSeconds() == null ? DEFAULT_DUT_LIFETIME : Duration.ofSeconds(job.getTimeoutSeconds());
        TestpmdRunner.Request dutRequest = TestpmdRunner.Request.of(List.of(dutPort), spec.getMode(), 64, lifetime, prefix);
        AtomicReference<TestpmdRunner.Report> report = new AtomicReference<>();
        Thread dut = new Thread(() -> report.set(TestpmdRunner.run(dutRequest)), "rfc2544-dut");
        dut.setDaemon(true);
        dut.start();
        return new DpdkRfc2544Path(dut, report, new GeneratorTrials(generator, generatorPort));
    }

    private static VhostSockets.Attachment attachment(Function<String, Optional<VhostSockets.Attachment>> ports, String port, String field) {
        return ports.apply(port).orElseThrow(() -> new TrafficJobException(field + ": the vhost-user port " + port + " is not planned on this node"));
    }

    @Override
    public TrialRunner trials() {
        return request -> {
            TestpmdRunner.Report ended = dutEnded.get();
            if (ended != null) {
                // the device under test is gone: no trial could tell anything about it
                throw new TrafficJobException("the device under test (dpdk-testpmd) ended: " + ended.message());
            }
            return trials.run(request);
        };
    }

    @Override
    public void close() {
        if (dut == null) {
            return;
        }
        dut.interrupt();
        try {
            dut.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
