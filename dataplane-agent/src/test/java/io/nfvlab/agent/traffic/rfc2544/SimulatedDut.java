package io.nfvlab.agent.traffic.rfc2544;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A device under test whose loss curve the test chooses: it forwards up to {@code capacityFps} (over trials of at
 * most {@code shortTrial}; {@code longCapacityFps} over longer ones, as a device whose buffers hide an overload for a
 * second), loses {@code randomLoss} of what it forwards at random (a lossy link), and a generator that cannot send
 * faster than {@code generatorFps}. Latency grows with the load. Counts every trial it ran.
 */
class SimulatedDut implements TrialRunner {
    double capacityFps = Double.MAX_VALUE;
    double longCapacityFps = Double.MAX_VALUE;
    Duration shortTrial = Duration.ofSeconds(1);
    double randomLoss;
    double generatorFps = Double.MAX_VALUE;
    long burstCapacity = Long.MAX_VALUE;
    final List<Request> requests = new ArrayList<>();
    private final Random random = new Random(42);

    @Override
    public TrialResult run(Request r) {
        requests.add(r);
        if (r.burstFrames() > 0) {
            return new TrialResult(r.burstFrames(), Math.min(r.burstFrames(), burstCapacity), r.fps(), null);
        }
        double seconds = r.duration().toMillis() / 1000.0;
        double achieved = Math.min(r.fps(), generatorFps);
        long sent = Math.round(achieved * seconds);
        double capacity = r.duration().compareTo(shortTrial) > 0 ? Math.min(capacityFps, longCapacityFps) : capacityFps;
        long forwarded = Math.min(sent, Math.round(capacity * seconds));
        long lost = 0;
        if (randomLoss > 0) {
            for (long i = 0; i < forwarded; i++) {
                if (random.nextDouble() < randomLoss) {
                    lost++;
                }
            }
        }
        double load = Math.min(1, achieved / capacity);
        Latency latency = r.latency() ? new Latency(5, 10 + 40 * load, 100 + 400 * load, 9 + 40 * load, 50 + 300 * load) : null;
        return new TrialResult(sent, forwarded - lost, achieved, latency);
    }
}
