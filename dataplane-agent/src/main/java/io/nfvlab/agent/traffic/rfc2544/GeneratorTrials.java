package io.nfvlab.agent.traffic.rfc2544;

import io.nfvlab.agent.ovsdpdk.VhostSockets;
import io.nfvlab.agent.traffic.generator.DpdkGenerator;
import io.nfvlab.agent.traffic.generator.FrameSize;
import io.nfvlab.agent.traffic.generator.GeneratorRequest;
import io.nfvlab.agent.traffic.generator.GeneratorResult;

import java.time.Duration;

/**
 * Trials of the DPDK path: one nfvlab-gen run per trial on the generator host's vhost-user port. Frames go from
 * {@link #SOURCE_MAC} to {@link #DUT_MAC}. With testpmd as the device under test, a learning bridge floods the first
 * ones to it, and its macswap sends each back to the generator (and teaches the bridge where {@link #DUT_MAC} is).
 * With the bridge as the device under test, nfvlab-gen also holds the device-under-test host's port (the receive
 * port): it announces {@link #DUT_MAC} there, and counts the frames the bridge forwards to it. Either way the
 * generator counts what came back by its magic and sequence numbers and times each frame.
 */
public final class GeneratorTrials implements TrialRunner {
    /** Locally administered unicast addresses of nfvlab's generator and of the frames' destination. */
    public static final String SOURCE_MAC = "02:6e:66:00:25:44";
    public static final String DUT_MAC = "02:6e:66:00:25:45";

    /**
     * How long the generator waits for frames after the last one (it stops as soon as all are back): on a loaded
     * two-core machine frames were seen coming back over a second late, which the default half second counts as lost.
     */
    static final Duration DRAIN_WAIT = Duration.ofSeconds(2);

    private final DpdkGenerator generator;
    private final VhostSockets.Attachment port;
    /** null: frames come back on {@link #port}. */
    private final DpdkGenerator.ReceivePort receive;

    /** Frames leave and come back on {@code port} (a forwarder on another port returns them). */
    public GeneratorTrials(DpdkGenerator generator, VhostSockets.Attachment port) {
        this(generator, port, null);
    }

    /** Frames leave on {@code port} and are counted on {@code receive}: what connects the two is the device under test. */
    public GeneratorTrials(DpdkGenerator generator, VhostSockets.Attachment port, VhostSockets.Attachment receive) {
        this.generator = generator;
        this.port = port;
        this.receive = receive == null ? null : DpdkGenerator.ReceivePort.of(receive);
    }

    @Override
    public TrialResult run(Request r) {
        FrameSize size = FrameSize.parse(r.frameSize());
        GeneratorRequest request = r.burstFrames() > 0
                ? GeneratorRequest.burst(port.socket(), SOURCE_MAC, DUT_MAC, size, r.burstFrames())
                : GeneratorRequest.paced(port.socket(), SOURCE_MAC, DUT_MAC, size, r.fps(), r.duration());
        request = request.withDrainWait(DRAIN_WAIT);
        GeneratorResult g = generator.run(request, DpdkGenerator.SocketRole.of(port), receive);
        Latency latency = g.latency() == null ? null
                : new Latency(g.latency().min(), g.latency().avg(), g.latency().max(), g.latency().p50(), g.latency().p99());
        return new TrialResult(g.sent(), g.received(), r.burstFrames() > 0 ? r.fps() : g.achievedPps(), latency);
    }
}
