package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.Action.RelayStart;
import io.nfvlab.agent.kernel.Action.RelayStop;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.kernel.RelayOps;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Delay lines in the agent process. Each link gets two packet sockets (one per relay device) and, per direction,
 * a reader that stamps frames with their due time and a writer that sends them when due. Frames keep their order
 * (a jittered due time never precedes the previous one), and a full queue drops, as netem's limit does.
 */
final class LinuxRelays implements RelayOps {
    private static final int DEFAULT_LIMIT = 1000;
    private final Map<String, Relay> relays = new ConcurrentHashMap<>();
    private final String nodeNetns;

    LinuxRelays(String nodeNetns) {
        this.nodeNetns = nodeNetns;
    }

    @Override
    public Map<String, String> running() {
        Map<String, String> out = new TreeMap<>();
        relays.forEach((k, r) -> {
            if (r.alive()) out.put(k, r.signature);
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

    /** "20ms", "100us", "1.5s" in nanoseconds. */
    static long nanos(String duration) {
        if (duration == null) return 0;
        String unit = duration.endsWith("us") ? "us" : duration.endsWith("ms") ? "ms" : "s";
        double value = Double.parseDouble(duration.substring(0, duration.length() - unit.length()));
        return Math.round(value * switch (unit) {
            case "us" -> 1e3;
            case "ms" -> 1e6;
            default -> 1e9;
        });
    }

    private static final class Relay {
        final String signature;
        final PacketSocket a;
        final PacketSocket b;
        final List<Thread> threads = new ArrayList<>();
        volatile boolean running = true;

        private Relay(String signature, PacketSocket a, PacketSocket b) {
            this.signature = signature;
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
            Relay r = new Relay(x.signature(), a, b);
            long delay = nanos(x.delay());
            long jitter = nanos(x.jitter());
            int limit = x.limit() == null ? DEFAULT_LIMIT : x.limit();
            r.direction(x.key() + ">", a, b, delay, jitter, limit);
            r.direction(x.key() + "<", b, a, delay, jitter, limit);
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
                    if (queue.size() >= limit) continue; // tail drop, as a full netem queue
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
