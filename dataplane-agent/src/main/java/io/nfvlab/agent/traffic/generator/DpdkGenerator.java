package io.nfvlab.agent.traffic.generator;

import io.nfvlab.agent.ovsdpdk.VhostSockets;
import io.nfvlab.agent.process.Command;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.agent.traffic.Programs;
import io.nfvlab.agent.traffic.TrafficJobException;
import io.nfvlab.agent.traffic.testpmd.TestpmdRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Runs nfvlab-gen, the rate-controlled DPDK generator of the traffic-generator module, on one vhost-user socket and
 * returns what it measured.
 *
 * <p>Shell equivalent: {@code nfvlab-gen --socket S --vhost-role serve --src-mac A --dst-mac B --frame-size 64
 * --rate 100000 --duration-ms 2000 --drain-ms 500 --file-prefix nvgen-P-N --lcore 0 --mem-mb 128}. It runs one DPDK
 * lcore that transmits and receives, with {@code --no-pci --in-memory --single-file-segments}, so it leaves no
 * hugepage files; any a crash left behind under its prefix are removed after the run.
 */
public final class DpdkGenerator {
    public static final String PROGRAM = "nfvlab-gen";
    /** An explicit path to the binary, ahead of PATH (a checkout's build output, or a test's). */
    public static final String BINARY_ENV = "NFVLAB_GEN";
    /** Where the Maven build leaves the binary, from the repository root and from a module directory. */
    static final List<Path> BUILD_OUTPUTS = List.of(Path.of("traffic-generator/target/bin", PROGRAM),
            Path.of("../traffic-generator/target/bin", PROGRAM));
    /** Upper bound of nfvlab-gen's wait for the vhost-user link, before it gives up with exit code 1. */
    static final Duration LINK_TIMEOUT = Duration.ofSeconds(15);
    /** Beyond the run's own time: EAL start, link, drain and output. */
    static final Duration DEADLINE_MARGIN = Duration.ofSeconds(30);
    /** The slowest back-to-back rate the deadline of a burst allows for. */
    static final double SLOWEST_BURST_PPS = 100_000;
    private static final Pattern PREFIX = Pattern.compile("^[a-z0-9-]{1,32}$");
    private static final AtomicLong RUNS = new AtomicLong();

    /** Who serves the vhost-user socket: nfvlab-gen for a dpdkvhostuserclient port, ovs-vswitchd for a dpdkvhostuser port. */
    public enum SocketRole {
        SERVE, CONNECT;

        public static SocketRole of(VhostSockets.Attachment attachment) {
            return attachment.peerIsServer() ? SERVE : CONNECT;
        }
    }

    /**
     * A second vhost-user port that nfvlab-gen counts the returning frames on ({@code --rx-socket}): frames leave on the
     * request's socket and come back here, so whatever connects the two (a bridge) is the device under test.
     */
    public record ReceivePort(Path socket, SocketRole role) {
        public ReceivePort {
            GeneratorRequest.checkSocket("receive socket", socket);
            Objects.requireNonNull(role, "receive socket role: required");
        }

        public static ReceivePort of(VhostSockets.Attachment attachment) {
            return new ReceivePort(attachment.socket(), SocketRole.of(attachment));
        }
    }

    private final Path binary;
    private final int lcore;
    private final int memoryMb;
    private final boolean sleepWhenIdle;
    /** Scheduling priority (nice), -20..19. */
    private final int nice;

    /** ovs-vswitchd's priority (Debian's ovs-ctl starts it at nice -10), which its PMD threads run at. */
    public static final int OVS_NICE = -10;

    /**
     * @param lcore    the one CPU nfvlab-gen polls on; keep it off OVS's PMD core (pmd-cpu-mask 0x2 here: lcore 0)
     * @param memoryMb hugepage memory for its mbufs (128 is plenty for 9000-byte frames)
     */
    public DpdkGenerator(Path binary, int lcore, int memoryMb) {
        this(binary, lcore, memoryMb, false, 0);
    }

    private DpdkGenerator(Path binary, int lcore, int memoryMb, boolean sleepWhenIdle, int nice) {
        if (lcore < 0 || lcore > 1023) {
            throw new IllegalArgumentException("lcore: " + lcore + " is outside 0 to 1023");
        }
        if (memoryMb < 64 || memoryMb > 4096) {
            throw new IllegalArgumentException("memoryMb: " + memoryMb + " is outside 64 to 4096");
        }
        this.binary = binary;
        this.lcore = lcore;
        this.memoryMb = memoryMb;
        if (nice < -20 || nice > 19) {
            throw new IllegalArgumentException("nice: " + nice + " is outside -20 to 19");
        }
        this.sleepWhenIdle = sleepWhenIdle;
        this.nice = nice;
    }

    /**
     * The same generator sleeping between frames more than 20 µs apart instead of polling ({@code --idle sleep}): for
     * modest rates on a CPU it shares with the DUT (two cores here: it and testpmd's forwarding lcore both on 0). A
     * frame that comes back while it sleeps is timestamped on waking, so latency reads up to 1/rate high.
     */
    public DpdkGenerator sleepingWhenIdle() {
        return new DpdkGenerator(binary, lcore, memoryMb, true, nice);
    }

    /**
     * The same generator at OVS's priority ({@code --nice -10}): for a generator with a CPU of its own beside OVS's
     * PMD. At nice 0 on a CPU that other work shares it was preempted for milliseconds, and the frames that
     * meanwhile overflowed its receive ring counted as loss of the device under test. Needs root (as the agent is).
     */
    public DpdkGenerator atOvsPriority() {
        return new DpdkGenerator(binary, lcore, memoryMb, sleepWhenIdle, OVS_NICE);
    }

    /**
     * The generator found on this node, on lcore 0 with 128 MB.
     *
     * @throws TrafficJobException when no nfvlab-gen is found
     */
    public static DpdkGenerator onThisNode() {
        return new DpdkGenerator(locate().orElseThrow(() -> new TrafficJobException(PROGRAM + " is not installed on this node"
                + " (build the traffic-generator module, or set " + BINARY_ENV + " to the binary)")), 0, 128);
    }

    /** $NFVLAB_GEN, then PATH and the system directories, then a checkout's build output. */
    public static Optional<Path> locate() {
        String explicit = System.getenv(BINARY_ENV);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        return Programs.locate(PROGRAM).or(() -> BUILD_OUTPUTS.stream()
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).map(Path::toAbsolutePath).findFirst());
    }

    public Path binary() {
        return binary;
    }

    /** The argument vector of one run (no shell: each value is one argument, and nfvlab-gen parses them strictly). */
    public List<String> argv(GeneratorRequest r, SocketRole role, String filePrefix) {
        return argv(r, role, null, filePrefix);
    }

    /** As {@link #argv(GeneratorRequest, SocketRole, String)}, counting on {@code receive} when it is not null. */
    public List<String> argv(GeneratorRequest r, SocketRole role, ReceivePort receive, String filePrefix) {
        if (filePrefix == null || !PREFIX.matcher(filePrefix).matches()) {
            throw new IllegalArgumentException("filePrefix: \"" + filePrefix + "\" is not 1 to 32 of a-z, 0-9 and '-'");
        }
        List<String> argv = new ArrayList<>(List.of(binary.toString(),
                "--socket", r.vhostSocket().toString(),
                "--vhost-role", role == SocketRole.SERVE ? "serve" : "connect",
                "--src-mac", r.srcMac(), "--dst-mac", r.dstMac(),
                "--frame-size", r.frameSize().toString()));
        if (receive != null) {
            if (receive.socket().equals(r.vhostSocket())) {
                throw new IllegalArgumentException("receive socket: " + receive.socket() + " is the transmit socket too");
            }
            argv.addAll(List.of("--rx-socket", receive.socket().toString(),
                    "--rx-vhost-role", receive.role() == SocketRole.SERVE ? "serve" : "connect"));
        }
        if (r.isBurst()) {
            argv.addAll(List.of("--burst", String.valueOf(r.burstFrames())));
        } else {
            argv.addAll(List.of("--rate", String.format(Locale.ROOT, "%.3f", r.ratePps()),
                    "--duration-ms", String.valueOf(r.duration().toMillis())));
        }
        argv.addAll(List.of("--drain-ms", String.valueOf(r.drainWait().toMillis()),
                "--link-timeout-ms", String.valueOf(LINK_TIMEOUT.toMillis()),
                "--file-prefix", filePrefix, "--lcore", String.valueOf(lcore), "--mem-mb", String.valueOf(memoryMb),
                "--idle", sleepWhenIdle ? "sleep" : "poll"));
        if (nice != 0) {
            argv.addAll(List.of("--nice", String.valueOf(nice)));
        }
        return argv;
    }

    /**
     * One line: the exit code and nfvlab-gen's own last message (its lines start with "nfvlab-gen: "; DPDK's log lines
     * before it say less), else the runner's description.
     */
    static String failure(CommandRunner.Result result) {
        String own = result.stderr().lines().filter(l -> l.startsWith(PROGRAM + ": ")).reduce((a, b) -> b)
                .map(l -> l.substring(PROGRAM.length() + 2)).orElse(null);
        if (own == null || result.timedOut()) {
            return PROGRAM + " failed: " + result.describe();
        }
        return PROGRAM + " failed (exit " + result.exitCode() + "): " + own;
    }

    /** How long the run may take before it is killed. */
    static Duration deadline(GeneratorRequest r) {
        Duration transmit = r.isBurst()
                ? Duration.ofMillis((long) Math.ceil(r.burstFrames() / SLOWEST_BURST_PPS * 1000))
                : r.duration();
        return transmit.plus(r.drainWait()).plus(LINK_TIMEOUT).plus(DEADLINE_MARGIN);
    }

    /** Runs with nfvlab-gen serving the socket (the peer is a dpdkvhostuserclient port). */
    public GeneratorResult run(GeneratorRequest r) {
        return run(r, SocketRole.SERVE);
    }

    /** Runs one generator counting what comes back on its transmit socket; see {@link #run(GeneratorRequest, SocketRole, ReceivePort)}. */
    public GeneratorResult run(GeneratorRequest r, SocketRole role) {
        return run(r, role, null);
    }

    /**
     * Runs one generator to its end, counting the frames that come back on {@code receive} (null: on the transmit
     * socket), and returns its result.
     *
     * @throws TrafficJobException with nfvlab-gen's own error line when it fails, times out or prints no result
     */
    public GeneratorResult run(GeneratorRequest r, SocketRole role, ReceivePort receive) {
        String prefix = "nvgen-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
        List<String> argv = argv(r, role, receive, prefix);
        if (role == SocketRole.SERVE) {
            VhostSockets.removeStaleSocket(r.vhostSocket());
        }
        if (receive != null && receive.role() == SocketRole.SERVE) {
            VhostSockets.removeStaleSocket(receive.socket());
        }
        CommandRunner.Result result;
        try {
            result = CommandRunner.run(Command.of(argv, deadline(r)));
        } finally {
            TestpmdRunner.removeDpdkLeftovers(prefix);
        }
        if (!result.ok()) {
            throw new TrafficJobException(failure(result));
        }
        String line = result.stdout().strip().lines().reduce((a, b) -> b).orElse("");
        try {
            return GeneratorResult.parse(line);
        } catch (IllegalArgumentException e) {
            throw new TrafficJobException(e.getMessage());
        }
    }
}
