package io.nfvlab.agent.process;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class CommandRunnerTest {
    @Test
    void longRunningProcessesDoNotDelayOtherCommands() throws Exception {
        // more long jobs than the common pool has threads: each holds two drains for as long as it runs
        int longJobs = Math.max(8, 2 * ForkJoinPool.getCommonPoolParallelism() + 2);
        ExecutorService callers = Executors.newFixedThreadPool(longJobs);
        try {
            List<Future<CommandRunner.Result>> running = new ArrayList<>();
            for (int i = 0; i < longJobs; i++) {
                running.add(callers.submit(() -> CommandRunner.run(List.of("sleep", "30"), Duration.ofSeconds(6))));
            }
            Thread.sleep(500);
            long start = System.nanoTime();
            CommandRunner.Result quick = CommandRunner.run(List.of("echo", "ok"), Duration.ofSeconds(5));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(quick.ok()).isTrue();
            assertThat(quick.stdout().strip()).isEqualTo("ok");
            assertThat(running).allSatisfy(f -> assertThat(f.isDone()).isFalse());
            for (Future<CommandRunner.Result> f : running) {
                assertThat(f.get().timedOut()).isTrue();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aProcessPastItsDeadlineIsKilled() {
        long start = System.nanoTime();
        CommandRunner.Result r = CommandRunner.run(List.of("sleep", "30"), Duration.ofMillis(300));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.ok()).isFalse();
        assertThat(r.describe()).isEqualTo("sleep 30: timed out");
    }

    @Test
    void aChildLeftHoldingTheOutputDoesNotHoldTheCaller() {
        long start = System.nanoTime();
        // sh exits at once; its background sleep keeps stdout open for 5 s
        CommandRunner.Result r = CommandRunner.run(List.of("sh", "-c", "sleep 5 & echo started"), Duration.ofSeconds(20));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(CommandRunner.DRAIN_GRACE.plusSeconds(2));
        assertThat(r.ok()).isTrue();
        assertThat(r.stdout().strip()).isEqualTo("started");
    }

    @Test
    void inputEnvironmentAndMissingPrograms() {
        CommandRunner.Result cat = CommandRunner.run(List.of("cat"), "hello\n", Duration.ofSeconds(5));
        assertThat(cat.stdout()).isEqualTo("hello\n");
        CommandRunner.Result env = CommandRunner.run(Command.of(List.of("/usr/bin/env"), Duration.ofSeconds(5))
                .withEnvironment(java.util.Map.of("ONLY", "this")));
        assertThat(env.stdout().strip()).isEqualTo("ONLY=this");
        CommandRunner.Result missing = CommandRunner.run(List.of("/nonexistent/tool"), Duration.ofSeconds(5));
        assertThat(missing.exitCode()).isEqualTo(127);
    }

    @Test
    void outputPastTheBoundKeepsItsStartAndItsEndAndSaysWhatWasLeftOut() {
        // 3,000,000 lines of 1 to 7 digits: about 21 MB, five times what is kept of a stream
        CommandRunner.Result r = CommandRunner.run(List.of("seq", "1", "3000000"), Duration.ofSeconds(30));
        assertThat(r.ok()).isTrue();
        String out = r.stdout();
        assertThat(out).startsWith("1\n2\n3\n").endsWith("2999999\n3000000\n");
        assertThat(out.length()).isLessThan(2 * CommandRunner.KEPT_BYTES + 100);
        long total = 0;
        for (int digits = 1, from = 1; from <= 3_000_000; digits++, from *= 10) {
            total += (long) (Math.min(3_000_000, from * 10L - 1) - from + 1) * (digits + 1);
        }
        assertThat(out).contains("\n[nfvlab: " + (total - 2L * CommandRunner.KEPT_BYTES) + " bytes of output not kept]\n");
        assertThat(CommandRunner.run(List.of("seq", "1", "3"), Duration.ofSeconds(5)).stdout()).isEqualTo("1\n2\n3\n");
    }

    @Test
    void aStartedProcessStreamsLinesAndEndsAtItsDeadline() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (CommandRunner.Running p = CommandRunner.start(Command.of(List.of("sh", "-c", "echo one; echo two; exec sleep 30"),
                Duration.ofMillis(500)), CommandRunner.lines(lines::add), null)) {
            long start = System.nanoTime();
            assertThat(p.waitFor()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(p.alive()).isFalse();
        }
        assertThat(lines).containsExactly("one", "two");
    }
}
