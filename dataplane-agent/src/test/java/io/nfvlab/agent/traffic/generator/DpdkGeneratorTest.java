package io.nfvlab.agent.traffic.generator;

import io.nfvlab.agent.traffic.generator.DpdkGenerator.SocketRole;
import org.junit.jupiter.api.Test;

import io.nfvlab.agent.process.CommandRunner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DpdkGeneratorTest {
    private final DpdkGenerator gen = new DpdkGenerator(Path.of("/opt/nfvlab/bin/nfvlab-gen"), 0, 128);
    private final Path sock = Path.of("/var/run/nfvlab/dpdk/br0/br0a.sock");

    @Test
    void pacedRunPassesEachValueAsItsOwnArgument() {
        var r = GeneratorRequest.paced(sock, "02:00:00:00:00:01", "02:00:00:00:00:02", FrameSize.imix(), 123456.5,
                Duration.ofMillis(2500));
        assertThat(gen.argv(r, SocketRole.SERVE, "nvgen-1-1")).containsExactly("/opt/nfvlab/bin/nfvlab-gen",
                "--socket", sock.toString(), "--vhost-role", "serve",
                "--src-mac", "02:00:00:00:00:01", "--dst-mac", "02:00:00:00:00:02", "--frame-size", "IMIX",
                "--rate", "123456.500", "--duration-ms", "2500", "--drain-ms", "500", "--link-timeout-ms", "15000",
                "--file-prefix", "nvgen-1-1", "--lcore", "0", "--mem-mb", "128", "--idle", "poll");
    }

    @Test
    void burstRunGivesTheFrameCountInsteadOfRateAndDuration() {
        var r = GeneratorRequest.burst(sock, "02:00:00:00:00:01", "02:00:00:00:00:02", FrameSize.fixed(64), 5000)
                .withDrainWait(Duration.ofSeconds(1));
        assertThat(gen.argv(r, SocketRole.CONNECT, "p")).containsSequence("--vhost-role", "connect")
                .containsSequence("--burst", "5000", "--drain-ms", "1000").doesNotContain("--rate", "--duration-ms");
    }

    @Test
    void aReceivePortIsPassedWithItsRoleAndMustBeAnotherSafeSocket() {
        var r = GeneratorRequest.paced(sock, "02:00:00:00:00:01", "02:00:00:00:00:02", FrameSize.fixed(64), 1000,
                Duration.ofSeconds(1));
        Path rx = Path.of("/var/run/nfvlab/dpdk/br0/br0b.sock");
        assertThat(gen.argv(r, SocketRole.SERVE, new DpdkGenerator.ReceivePort(rx, SocketRole.CONNECT), "p"))
                .containsSequence("--socket", sock.toString(), "--vhost-role", "serve",
                        "--src-mac", "02:00:00:00:00:01", "--dst-mac", "02:00:00:00:00:02", "--frame-size", "64",
                        "--rx-socket", rx.toString(), "--rx-vhost-role", "connect");
        assertThat(gen.argv(r, SocketRole.SERVE, "p")).doesNotContain("--rx-socket", "--rx-vhost-role");
        assertThatThrownBy(() -> gen.argv(r, SocketRole.SERVE, new DpdkGenerator.ReceivePort(sock, SocketRole.SERVE), "p"))
                .hasMessageContaining("is the transmit socket too");
        assertThatThrownBy(() -> new DpdkGenerator.ReceivePort(Path.of("/tmp/a,server=1"), SocketRole.SERVE))
                .hasMessageStartingWith("receive socket: \"/tmp/a,server=1\" must be an absolute path");
        assertThatThrownBy(() -> new DpdkGenerator.ReceivePort(Path.of("rel.sock"), SocketRole.SERVE))
                .hasMessageStartingWith("receive socket:");
    }

    @Test
    void atOvsPriorityAsksForNiceMinusTenAndOnlyThen() {
        var r = GeneratorRequest.burst(sock, "02:00:00:00:00:01", "02:00:00:00:00:02", FrameSize.fixed(64), 1);
        assertThat(gen.atOvsPriority().argv(r, SocketRole.SERVE, "p")).endsWith("--idle", "poll", "--nice", "-10");
        assertThat(gen.argv(r, SocketRole.SERVE, "p")).doesNotContain("--nice");
        assertThat(gen.atOvsPriority().sleepingWhenIdle().argv(r, SocketRole.SERVE, "p")).endsWith("--idle", "sleep", "--nice", "-10");
    }

    @Test
    void sleepingGeneratorAsksForIdleSleep() {
        var r = GeneratorRequest.burst(sock, "02:00:00:00:00:01", "02:00:00:00:00:02", FrameSize.fixed(64), 1);
        assertThat(gen.sleepingWhenIdle().argv(r, SocketRole.SERVE, "p")).endsWith("--idle", "sleep");
    }

    @Test
    void deadlineCoversTransmitDrainLinkAndMargin() {
        var paced = GeneratorRequest.paced(sock, "02:00:00:00:00:01", "02:00:00:00:00:02", FrameSize.fixed(64), 1e6,
                Duration.ofSeconds(10));
        assertThat(DpdkGenerator.deadline(paced)).isEqualTo(Duration.ofMillis(10_000 + 500 + 15_000 + 30_000));
        var burst = GeneratorRequest.burst(sock, "02:00:00:00:00:01", "02:00:00:00:00:02", FrameSize.fixed(64), 1_000_000);
        assertThat(DpdkGenerator.deadline(burst)).isEqualTo(Duration.ofMillis(10_000 + 500 + 15_000 + 30_000));
    }

    @Test
    void badPrefixLcoreAndMemoryAreRefused() {
        var r = GeneratorRequest.burst(sock, "02:00:00:00:00:01", "02:00:00:00:00:02", FrameSize.fixed(64), 1);
        assertThatThrownBy(() -> gen.argv(r, SocketRole.SERVE, "../x")).hasMessageStartingWith("filePrefix:");
        assertThatThrownBy(() -> new DpdkGenerator(Path.of("/x"), -1, 128)).hasMessageStartingWith("lcore:");
        assertThatThrownBy(() -> new DpdkGenerator(Path.of("/x"), 0, 8)).hasMessageStartingWith("memoryMb:");
    }

    @Test
    void failureNamesNfvlabGensOwnLastMessageNotDpdksLog() {
        var r = new CommandRunner.Result(List.of("nfvlab-gen"), 1, "", "vhost_user_setup(): connect error\n"
                + "EAL: Bus (vdev) probe failed.\nnfvlab-gen: expected one virtio_user port, DPDK has 0\n", false);
        assertThat(DpdkGenerator.failure(r)).isEqualTo("nfvlab-gen failed (exit 1): expected one virtio_user port, DPDK has 0");
        var killed = new CommandRunner.Result(List.of("nfvlab-gen"), -1, "", "nfvlab-gen: 1.0 s: sent 5\n", true);
        assertThat(DpdkGenerator.failure(killed)).isEqualTo("nfvlab-gen failed: nfvlab-gen: timed out: nfvlab-gen: 1.0 s: sent 5");
    }
}
