package io.nfvlab.agent.traffic.testpmd;

import io.nfvlab.agent.ovsdpdk.VhostSockets;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.traffic.PairResult;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Runs ONE dpdk-testpmd with a virtio_user port per vhost-user attachment (two cores here: one testpmd with two ports,
 * never two testpmds that would time-slice a core) and turns its statistics into Mpps and loss per direction.
 *
 * <p>Shell equivalent: {@code env --ignore-signal=PIPE timeout -s INT D dpdk-testpmd -l 0,1 --main-lcore 1 --no-pci --in-memory
 * --single-file-segments --file-prefix P --vdev=virtio_user0,path=S0,server=1 --vdev=virtio_user1,path=S1,server=1 --
 * --forward-mode=flowgen --txpkts=64 --nb-cores=1 --stats-period=1}. SIGINT makes testpmd print its totals and exit;
 * {@code --in-memory} keeps hugepage files off /dev/hugepages. The forwarding lcore (0) is kept off OVS's PMD core
 * (pmd-cpu-mask 0x2): sharing it costs two orders of magnitude.
 */
public final class TestpmdRunner {
    public static final Set<String> MODES = Set.of("flowgen", "txonly", "rxonly", "io", "macswap");
    static final Pattern PREFIX = Pattern.compile("^[a-z0-9-]{1,32}$");
    /** Time for ovs-vswitchd to reconnect to freshly served sockets and bring the links up. */
    static final Duration LINK_WARMUP = Duration.ofSeconds(3);
    static final Path HUGEPAGE_DIR = Path.of("/dev/hugepages");
    private static final Path EAL_RUNTIME_DIR = Path.of("/var/run/dpdk");
    private static final String EAL_RUNTIME_FILES = "{config,hugepage_info,mp_socket*,fbarray_*,dpdk_telemetry*,telemetry}";

    /**
     * @param ports      the vhost-user ports, in virtio_user order; pairs are (0→1, 1→0) for two ports
     * @param mode       flowgen (default), txonly, rxonly, io, macswap (io and macswap are seeded with --tx-first)
     * @param packetSize frame size in bytes (testpmd --txpkts), 64 by default
     * @param rateMpps   a rate cap; testpmd 22.11's generators have none, so a set value is reported, not applied
     * @param filePrefix unique per run: DPDK's --file-prefix
     */
    public record Request(List<VhostSockets.Attachment> ports, String mode, Integer packetSize, Duration duration,
                          Double rateMpps, String filePrefix, String lcores, Integer mainLcore) {
        public Request {
            ports = List.copyOf(ports);
            mode = mode == null ? "flowgen" : mode;
            packetSize = packetSize == null ? 64 : packetSize;
            duration = duration == null ? Duration.ofSeconds(5) : duration;
            lcores = lcores == null ? "0,1" : lcores;
            mainLcore = mainLcore == null ? 1 : mainLcore;
        }

        public static Request of(List<VhostSockets.Attachment> ports, String mode, int packetSize, Duration duration,
                                 String filePrefix) {
            return new Request(ports, mode, packetSize, duration, null, filePrefix, null, null);
        }
    }

    /** The outcome: a result per direction, and a one-line note or error (null when all went well). */
    public record Report(List<PairResult> pairs, TestpmdOutput output, String message, boolean failed) {
    }

    private TestpmdRunner() {
    }

    public static List<String> argv(Request r) {
        List<String> argv = new ArrayList<>(List.of("dpdk-testpmd", "-l", r.lcores(), "--main-lcore",
                String.valueOf(r.mainLcore()), "--no-pci", "--in-memory", "--single-file-segments",
                "--file-prefix", r.filePrefix(), "--log-level", "lib.eal:error"));
        for (int i = 0; i < r.ports().size(); i++) {
            VhostSockets.Attachment a = r.ports().get(i);
            argv.add("--vdev=virtio_user" + i + ",path=" + a.socket() + (a.peerIsServer() ? ",server=1" : "") + ",queues=1");
        }
        argv.addAll(List.of("--", "--forward-mode=" + r.mode(), "--txpkts=" + r.packetSize(), "--nb-cores=1",
                "--total-num-mbufs=16384", "--stats-period=1"));
        if (r.mode().equals("io") || r.mode().equals("macswap")) {
            argv.add("--tx-first");
        }
        return argv;
    }

    /** Checks the request; returns the first problem in one line, or null. */
    static String invalid(Request r) {
        if (r.ports().isEmpty() || r.ports().size() > 2) {
            return "testpmd.ports: one or two ports, got " + r.ports().size();
        }
        if (!MODES.contains(r.mode())) {
            return "testpmd.mode: \"" + r.mode() + "\" is not one of flowgen, txonly, rxonly, io, macswap";
        }
        if (r.packetSize() < 64 || r.packetSize() > 9000) {
            return "packetSize: testpmd frames are 64 to 9000 bytes, got " + r.packetSize();
        }
        if (r.filePrefix() == null || !PREFIX.matcher(r.filePrefix()).matches()) {
            return "filePrefix: lowercase letters, digits and '-' only";
        }
        for (VhostSockets.Attachment a : r.ports()) {
            String s = a.socket().toString();
            if (s.contains(",") || s.contains(" ") || !a.socket().isAbsolute()) {
                return "socket path " + s + " cannot be passed to virtio_user (absolute, no commas or spaces)";
            }
        }
        return null;
    }

    public static Report run(Request r) {
        String invalid = invalid(r);
        if (invalid != null) {
            return new Report(List.of(), null, invalid, true);
        }
        for (VhostSockets.Attachment a : r.ports()) {
            if (a.peerIsServer()) {
                VhostSockets.removeStaleSocket(a.socket());
            }
        }
        long seconds = r.duration().toSeconds() + LINK_WARMUP.toSeconds();
        // virtio_user writes to the vhost-user socket without MSG_NOSIGNAL: when ovs-vswitchd drops the connection
        // (it reconnects while it reconfigures a fresh port) testpmd would die of SIGPIPE instead of reconnecting
        List<String> argv = new ArrayList<>(List.of("env", "--ignore-signal=PIPE",
                "timeout", "-s", "INT", "-k", "30", String.valueOf(seconds)));
        argv.addAll(argv(r));
        CommandRunner.Result result = CommandRunner.run(argv, Duration.ofSeconds(seconds + 50));
        removeDpdkLeftovers(r.filePrefix());
        TestpmdOutput output = TestpmdOutput.parse(result.stdout());
        boolean stopped = result.exitCode() == 124 || result.exitCode() == 0;
        if (!stopped || output.ports().size() < r.ports().size()
                || output.ports().values().stream().anyMatch(p -> !p.hasTotals())) {
            return new Report(List.of(), output, "dpdk-testpmd failed: " + result.describe()
                    + lastLine(result.stderr()), true);
        }
        List<PairResult> pairs = pairs(r, output);
        String note = r.rateMpps() != null ? "rateMpps is not applied: dpdk-testpmd 22.11 generators have no rate limit" : null;
        if (pairs.stream().allMatch(p -> p.getReceived() == 0) && !r.mode().equals("rxonly")) {
            note = "no packet came through: check the bridge's flows and that its ports' links came up";
        }
        return new Report(pairs, output, note, false);
    }

    static List<PairResult> pairs(Request r, TestpmdOutput output) {
        List<PairResult> pairs = new ArrayList<>();
        int n = r.ports().size();
        for (int i = 0; i < n; i++) {
            TestpmdOutput.Port from = output.ports().get(i);
            TestpmdOutput.Port to = output.ports().get(n == 2 ? 1 - i : i);
            long sent = from.txPackets();
            long received = to.rxPackets();
            double loss = sent == 0 ? 0 : Math.max(0, (sent - received) * 100.0 / sent);
            pairs.add(PairResult.builder()
                    .source(r.ports().get(i).port())
                    .destination(r.ports().get(n == 2 ? 1 - i : i).port())
                    .sent(sent).received(received)
                    .lossPercent(Math.round(loss * 1000) / 1000.0)
                    .txMpps(round3(from.txMpps())).rxMpps(round3(to.rxMpps()))
                    .durationSeconds((double) r.duration().toSeconds())
                    .build());
        }
        return pairs;
    }

    /**
     * What a DPDK process of this --file-prefix leaves once it has ended: hugepage files (--in-memory leaves none, but a
     * crashed run without it would) and EAL's runtime directory under /var/run/dpdk, which EAL empties but never
     * removes. Only EAL's own file names are removed, and the directory only when that leaves it empty; returns how
     * many things were removed. Call it once the process of that prefix has ended.
     */
    public static int removeDpdkLeftovers(String prefix) {
        return removeDpdkLeftovers(prefix, HUGEPAGE_DIR, EAL_RUNTIME_DIR);
    }

    static int removeDpdkLeftovers(String prefix, Path hugepageDir, Path ealRuntimeDir) {
        if (prefix == null || !prefix.matches("[A-Za-z0-9._-]{1,64}") || prefix.startsWith(".")) {
            throw new IllegalArgumentException("file prefix \"" + prefix + "\" is not a plain name");
        }
        int removed = 0;
        if (Files.isDirectory(hugepageDir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(hugepageDir, prefix + "map_*")) {
                for (Path f : files) {
                    Files.deleteIfExists(f);
                    removed++;
                }
            } catch (IOException e) {
                // nothing to clean
            }
        }
        Path runtime = ealRuntimeDir.resolve(prefix);
        if (Files.isDirectory(runtime, LinkOption.NOFOLLOW_LINKS)) {
            // a process stopped by SIGKILL (timeout -k) leaves its telemetry and multi-process sockets
            try (DirectoryStream<Path> files = Files.newDirectoryStream(runtime, EAL_RUNTIME_FILES)) {
                for (Path f : files) {
                    Files.deleteIfExists(f);
                    removed++;
                }
                if (Files.deleteIfExists(runtime)) {
                    removed++;
                }
            } catch (IOException e) {
                // something else in it (not EAL's): leave it
            }
        }
        return removed;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String lastLine(String stderr) {
        String last = stderr.strip().lines().reduce((a, b) -> b).orElse("");
        return last.isEmpty() ? "" : " (" + last + ")";
    }
}
