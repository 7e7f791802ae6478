package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.Action.RelayStart;
import io.nfvlab.agent.kernel.Action.RelayStop;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.kernel.RelayOps;
import io.nfvlab.agent.kernel.shaping.DelayLine;
import io.nfvlab.agent.kernel.shaping.RelayKey;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Delay lines in the agent process (see {@link io.nfvlab.agent.kernel.shaping.LinkShaping}). Each link gets two
 * packet sockets (one per relay device) and, per direction, a reader that stamps frames with their due time and a
 * writer that sends them when due. Frames keep their order (a jittered due time never precedes the previous one),
 * and a frame arriving at a full queue is dropped.
 */
final class LinuxRelays implements RelayOps {
    private final Map<RelayKey, Relay> relays = new ConcurrentHashMap<>();
    private final String nodeNetns;

    LinuxRelays(String nodeNetns) {
        this.nodeNetns = nodeNetns;
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
    public synchronized BatchResult relay(List<Action> actions) {
        List<BatchResult.Failure> failures = new ArrayList<>();
        for (Action a : actions) {
            if (a instanceof RelayStop x) {
                Relay r = relays.remove(x.key());
                if (r != null) r.stop();
            } else if (a instanceof RelayStart x) {
                Relay old = relays.remove(x.key());
                if (old != null) old.stop();
                try {
                    relays.put(x.key(), Relay.start(x, x.netns() == null ? nodeNetns : x.netns()));
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
    }

    private static final class Relay {
        final DelayLine line;
        final PacketSocket a;
        final PacketSocket b;
        final List<Thread> threads = new ArrayList<>();
        volatile boolean running = true;

        private Relay(DelayLine line, PacketSocket a, PacketSocket b) {
            this.line = line;
            this.a = a;
            this.b = b;
        }

        static Relay start(RelayStart x, String netns) throws IOException {
            PacketSocket a = PacketSocket.open(netns, x.deviceA());
            PacketSocket b;
            try {
                b = PacketSocket.open(netns, x.deviceB());
            } catch (IOException e) {
                a.close();
                throw e;
            }
            Relay r = new Relay(x.line(), a, b);
            long delay = x.line().delay().toNanos();
            long jitter = x.line().jitter().toNanos();
            int limit = x.line().limit();
            String name = x.key().token() + "/" + x.key().linkId();
            r.direction(name + ">", a, b, delay, jitter, limit);
            r.direction(name + "<", b, a, delay, jitter, limit);
            return r;
        }

        boolean alive() {
            return running && threads.stream().allMatch(Thread::isAlive);
        }

        private void direction(String name, PacketSocket in, PacketSocket out, long delay, long jitter, int limit) {
            DelayQueue<Frame> queue = new DelayQueue<>();
            Thread reader = new Thread(() -> {
                PacketSocket.realtime();
                byte[] buf = new byte[65536 + 64];
                long last = 0;
                while (running) {
                    int n = in.receive(buf);
                    if (n < 0) break;
                    if (n == 0) continue;
                    if (queue.size() >= limit) continue; // tail drop
                    long due = System.nanoTime() + delay + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(-jitter, jitter + 1));
                    due = Math.max(due, last);
                    last = due;
                    queue.add(new Frame(Arrays.copyOf(buf, n), due));
                }
            }, "nfvlab-delay-read-" + name);
            Thread writer = new Thread(() -> {
                PacketSocket.realtime();
                while (running) {
                    try {
                        Frame f = queue.poll(200, TimeUnit.MILLISECONDS);
                        if (f != null) out.send(f.data, f.data.length);
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
        }
    }

    private record Frame(byte[] data, long due) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(due, ((Frame) o).due);
        }
    }
}
