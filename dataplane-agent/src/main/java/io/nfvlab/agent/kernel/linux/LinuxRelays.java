package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.Action.RelayStart;
import io.nfvlab.agent.kernel.Action.RelayStop;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.kernel.RelayOps;
import io.nfvlab.agent.kernel.shaping.DelayLine;
import io.nfvlab.agent.kernel.shaping.DelayLineQueue;
import io.nfvlab.agent.kernel.shaping.FrameCorruption;
import io.nfvlab.agent.kernel.shaping.FrameImpairer;
import io.nfvlab.agent.kernel.shaping.DelayLineQueue.ByteBudget;
import io.nfvlab.agent.kernel.shaping.DelayLineQueue.QueueDrops;
import io.nfvlab.agent.kernel.shaping.RelayKey;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Delay lines in the agent process (see {@link io.nfvlab.agent.kernel.shaping.LinkShaping}). Each link gets two
 * packet sockets (one per relay device) and, per direction, a reader that stamps frames with their due time and a
 * writer that sends them when due. A {@link FrameImpairer} decides each frame's fate (loss, corruption, duplication,
 * due time): frames keep their order (a jittered due time never precedes the previous one) unless reordered.
 * A frame that finds its direction's queue at a bound is dropped and counted (see {@link DelayLineQueue}): at the
 * link's frame limit, or at a byte bound — the line's own, or the budget all lines of this agent share.
 */
final class LinuxRelays implements RelayOps {
    /** Bytes all delay lines of one agent may hold together: a quarter of the chart's default memory limit. */
    static final long BUDGET_BYTES = 192L << 20;

    private final Map<RelayKey, Relay> relays = new ConcurrentHashMap<>();
    /** Drops of lines since restarted with new parameters: their counts carry on. */
    private final Map<RelayKey, QueueDrops> earlier = new ConcurrentHashMap<>();
    private final ByteBudget budget;
    private final String nodeNetns;

    LinuxRelays(String nodeNetns) {
        this(nodeNetns, new ByteBudget(BUDGET_BYTES));
    }

    LinuxRelays(String nodeNetns, ByteBudget budget) {
        this.nodeNetns = nodeNetns;
        this.budget = budget;
    }

    @Override
    public Map<RelayKey, DelayLine> running() {
        Map<RelayKey, DelayLine> out = new HashMap<>();
        relays.forEach((k, r) -> {
            if (r.alive()) out.put(k, r.line);
        });
        return out;
    }

    @Override
    public Map<RelayKey, QueueDrops> queueDrops() {
        Map<RelayKey, QueueDrops> out = new HashMap<>();
        relays.forEach((k, r) -> out.put(k, r.drops().plus(earlier.getOrDefault(k, QueueDrops.NONE))));
        return out;
    }

    @Override
    public long byteBoundDrops() {
        return budget.byteBoundDrops();
    }

    @Override
    public synchronized BatchResult relay(List<Action> actions) {
        List<BatchResult.Failure> failures = new ArrayList<>();
        for (Action a : actions) {
            if (a instanceof RelayStop x) {
                Relay r = relays.remove(x.key());
                if (r != null) r.stop();
                earlier.remove(x.key());
            } else if (a instanceof RelayStart x) {
                Relay old = relays.remove(x.key());
                if (old != null) {
                    old.stop();
                    earlier.merge(x.key(), old.drops(), QueueDrops::plus);
                }
                try {
                    relays.put(x.key(), Relay.start(x, x.netns() == null ? nodeNetns : x.netns(), budget));
                } catch (IOException | RuntimeException e) {
                    failures.add(new BatchResult.Failure(a, "delay line: " + e.getMessage()));
                }
            }
        }
        return new BatchResult(failures);
    }

    @Override
    public synchronized void stopAll() {
        relays.values().forEach(Relay::stop);
        relays.clear();
        earlier.clear();
    }

    private static final class Relay {
        final DelayLine line;
        final PacketSocket a;
        final PacketSocket b;
        final List<Thread> threads = new ArrayList<>();
        final List<DelayLineQueue> queues = new ArrayList<>();
        volatile boolean running = true;

        private Relay(DelayLine line, PacketSocket a, PacketSocket b) {
            this.line = line;
            this.a = a;
            this.b = b;
        }

        static Relay start(RelayStart x, String netns, ByteBudget budget) throws IOException {
            PacketSocket a = PacketSocket.open(netns, x.deviceA());
            PacketSocket b;
            try {
                b = PacketSocket.open(netns, x.deviceB());
            } catch (IOException e) {
                a.close();
                throw e;
            }
            Relay r = new Relay(x.line(), a, b);
            String name = x.key().token() + "/" + x.key().linkId();
            r.direction(name + ">", a, b, x.line(), new DelayLineQueue(x.line().limit(), x.line().byteLimit(), budget));
            r.direction(name + "<", b, a, x.line(), new DelayLineQueue(x.line().limit(), x.line().byteLimit(), budget));
            return r;
        }

        boolean alive() {
            return running && threads.stream().allMatch(Thread::isAlive);
        }

        QueueDrops drops() {
            return queues.stream().map(DelayLineQueue::drops).reduce(QueueDrops.NONE, QueueDrops::plus);
        }

        private void direction(String name, PacketSocket in, PacketSocket out, DelayLine line, DelayLineQueue queue) {
            queues.add(queue);
            Thread reader = new Thread(() -> {
                PacketSocket.realtime();
                byte[] buf = new byte[65536 + 64];
                FrameImpairer impairer = new FrameImpairer(line, new SplittableRandom());
                while (running) {
                    int n = in.receive(buf);
                    if (n < 0) break;
                    if (n == 0) continue;
                    FrameImpairer.Fate fate = impairer.next(System.nanoTime(), n - 10);
                    if (fate.lost()) continue;
                    byte[] frame = Arrays.copyOf(buf, n);
                    if (fate.duplicate()) {
                        queue.offer(frame.clone(), fate.due());
                    }
                    if (fate.corruptBit() >= 0) {
                        FrameCorruption.flip(frame, n, fate.corruptBit());
                    }
                    queue.offer(frame, fate.due());
                }
            }, "nfvlab-delay-read-" + name);
            Thread writer = new Thread(() -> {
                PacketSocket.realtime();
                while (running) {
                    try {
                        DelayLineQueue.Frame f = queue.poll(200, TimeUnit.MILLISECONDS);
                        if (f != null) out.send(f.data(), f.data().length);
                    } catch (InterruptedException e) {
                        break;
                    }
                }
            }, "nfvlab-delay-write-" + name);
            for (Thread t : List.of(reader, writer)) {
                t.setDaemon(true);
                t.setPriority(Thread.MAX_PRIORITY);
                t.start();
                threads.add(t);
            }
        }

        void stop() {
            running = false;
            for (Thread t : threads) {
                try {
                    t.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            a.close();
            b.close();
            queues.forEach(DelayLineQueue::clear);
        }
    }
}
