package io.nfvlab.agent.kernel.shaping;

import io.nfvlab.api.topology.DelayDistribution;
import io.nfvlab.api.topology.Impairments;

import java.util.random.RandomGenerator;

/**
 * The fate of each frame entering one direction of a delay line: lost, corrupted, duplicated, when it is due, and
 * whether it overtakes the frames already waiting. It follows netem's rules so that a link behaves alike whether
 * {@code sch_netem} or the delay line carries it:
 * <ul>
 *   <li>loss with correlation is a two-state (Gilbert) chain: after a kept frame one is lost with probability
 *       {@code p(1-c)}, after a lost one with {@code p+c(1-p)}. The long-run loss stays {@code p} (netem's older
 *       "loss P C" lowers it) and netem renders the same chain as {@code loss gemodel}.</li>
 *   <li>jitter follows the link's distribution; uniform spreads over delay ± jitter, the others take jitter as
 *       their standard deviation. A frame is never due before the one ahead of it (the delay line keeps order).</li>
 *   <li>reorder with gap N: the frames after a reordered one wait their delay until N-1 have passed; from then on
 *       each is sent at once with the reorder probability (netem's counter and gap).</li>
 * </ul>
 * One per direction, used by that direction's reader thread only.
 */
public final class FrameImpairer {
    /** What happens to one frame. {@code corruptBit}: the bit of the frame to flip, counted from the end of its Ethernet header; -1 none. */
    public record Fate(boolean lost, long due, boolean duplicate, int corruptBit) {
    }

    /** Pareto with shape 3 (netem's table is made with it): mean 1.5, standard deviation √3/2, from scale 1. */
    private static final double PARETO_SHAPE = 3;
    private static final double PARETO_MEAN = 1.5;
    private static final double PARETO_SD = Math.sqrt(3) / 2;
    private static final int ETHERNET_HEADER = 14;
    /** netem's tables hold about four standard deviations either side; so does this, which bounds a frame's wait. */
    private static final double TAIL = 4;

    private final long delay;
    private final long jitter;
    private final double loss;
    private final double lossCorrelation;
    private final double corrupt;
    private final double duplicate;
    private final double reorder;
    private final int gap;
    private final DelayDistribution distribution;
    private final RandomGenerator random;
    private boolean lastLost;
    private long lastDue;
    private int counter;

    public FrameImpairer(DelayLine line, RandomGenerator random) {
        this.delay = line.delay().toNanos();
        this.jitter = line.jitter().toNanos();
        Impairments i = line.impairments();
        this.loss = fraction(line.lossPercent());
        this.lossCorrelation = fraction(i.lossCorrelationPercent());
        this.corrupt = fraction(i.corruptPercent());
        this.duplicate = fraction(i.duplicatePercent());
        this.reorder = fraction(i.reorderPercent());
        this.gap = i.gapOrDefault();
        this.distribution = i.distributionOrDefault();
        this.random = random;
    }

    private static double fraction(Double percent) {
        return percent == null ? 0 : Math.max(0, Math.min(1, percent / 100.0));
    }

    /** The fate of a frame of {@code length} bytes (Ethernet header included) arriving at {@code now} (nanoTime). */
    public Fate next(long now, int length) {
        if (lost()) {
            return new Fate(true, 0, false, -1);
        }
        boolean dup = duplicate > 0 && random.nextDouble() < duplicate;
        int bit = -1;
        int payload = length - ETHERNET_HEADER;
        if (corrupt > 0 && payload > 0 && random.nextDouble() < corrupt) {
            bit = random.nextInt(payload * 8);
        }
        long due;
        if (reorder > 0 && counter >= gap - 1 && random.nextDouble() < reorder) {
            // sent at once: it overtakes whatever is waiting, and the order of the others is not moved by it
            counter = 0;
            due = now;
        } else {
            counter++;
            due = Math.max(now + Math.max(0, delay + jitterOffset()), lastDue);
            lastDue = due;
        }
        return new Fate(false, due, dup, bit);
    }

    private boolean lost() {
        if (loss <= 0) {
            return false;
        }
        double p = lastLost ? loss + lossCorrelation * (1 - loss) : loss * (1 - lossCorrelation);
        lastLost = random.nextDouble() < p;
        return lastLost;
    }

    private long jitterOffset() {
        if (jitter == 0) {
            return 0;
        }
        double x = switch (distribution) {
            case UNIFORM -> random.nextDouble(-1, 1);
            case NORMAL -> random.nextGaussian();
            case PARETO -> pareto();
            case PARETONORMAL -> 0.25 * random.nextGaussian() + 0.75 * pareto();
        };
        return Math.round(Math.max(-TAIL, Math.min(TAIL, x)) * jitter);
    }

    /** A Pareto draw shifted and scaled to mean 0 and standard deviation 1. */
    private double pareto() {
        double p = Math.pow(1 - random.nextDouble(), -1 / PARETO_SHAPE);
        return (p - PARETO_MEAN) / PARETO_SD;
    }
}
