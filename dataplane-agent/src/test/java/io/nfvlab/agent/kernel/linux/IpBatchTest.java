package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.process.CommandRunner;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** How the outcome of one {@code ip -force -batch} process is read back onto its lines. */
class IpBatchTest {
    private static List<IpBatch.Line> lines(int n) {
        IpBatch b = new IpBatch();
        IntStream.rangeClosed(1, n).forEach(i -> b.add(new Action.NetnsAdd("hosts/h" + i, "nfv-t-h" + i), "netns", "add", "nfv-t-h" + i));
        return b.lines();
    }

    private static CommandRunner.Result result(int exit, String stderr) {
        return new CommandRunner.Result(List.of("ip", "-force", "-batch", "-"), exit, "", stderr, false);
    }

    private static List<String> items(List<BatchResult.Failure> failures) {
        return failures.stream().map(f -> f.action().item()).toList();
    }

    @Test
    void aProcessNamesAtMost512NamespacesAndLinesWithoutAnyShareOneProcess() {
        IpBatch pairs = new IpBatch();
        IntStream.range(0, 600).forEach(i -> pairs.add(new Action.NetnsAdd("links/l" + i, "a"), "link", "add", "va" + i,
                "netns", "nfv-t-a", "type", "veth", "peer", "name", "vb" + i, "netns", "nfv-t-b"));
        IpBatch bridges = new IpBatch();
        IntStream.range(0, 300).forEach(i -> bridges.add(new Action.NetnsAdd("switches/s" + i, "a"), "link", "add", "br" + i, "type", "bridge"));
        IpBatch many = new IpBatch();
        IntStream.range(0, IpBatch.MAX_LINES_PER_PROCESS + 1).forEach(i -> many.add(new Action.NetnsAdd("s", "a"), "link", "set", "dev", "x" + i, "up"));

        // two namespaces a line: 256 lines a process, in order, none lost
        assertThat(IpBatch.chunks(pairs.lines())).extracting(List::size).containsExactly(256, 256, 88);
        assertThat(IpBatch.chunks(pairs.lines()).stream().flatMap(List::stream).toList()).isEqualTo(pairs.lines());
        assertThat(IpBatch.chunks(lines(1000))).extracting(List::size).containsExactly(512, 488);
        assertThat(IpBatch.chunks(bridges.lines())).extracting(List::size).containsExactly(300);
        assertThat(IpBatch.chunks(many.lines())).extracting(List::size).containsExactly(IpBatch.MAX_LINES_PER_PROCESS, 1);
        assertThat(IpBatch.chunks(List.of())).isEmpty();
    }

    @Test
    void aLineNamedAsFailedIsTheOnlyFailureWhenIpRanToTheEnd() {
        List<BatchResult.Failure> f = IpBatch.failures("ip", lines(4),
                result(1, "Cannot create namespace file \"/run/netns/nfv-t-h2\": File exists\nCommand failed -:2\n"));
        assertThat(items(f)).containsExactly("hosts/h2");
        assertThat(f.get(0).message()).contains("File exists");
    }

    @Test
    void linesAfterAFatalErrorAreReportedFailedNotSilentlyDone() {
        // what ip does past its open-file limit: line 3 is a fatal argument error, lines 3 and 4 never ran
        List<BatchResult.Failure> f = IpBatch.failures("ip", lines(4),
                result(255, "Error: argument \"nfv-t-h3\" is wrong: Invalid \"netns\" value\n"));
        assertThat(items(f)).containsExactly("hosts/h1", "hosts/h2", "hosts/h3", "hosts/h4");
        assertThat(f.get(2).message()).contains("status 255").contains("Invalid \"netns\" value");
    }

    @Test
    void aFatalErrorAfterANamedFailureLeavesTheLinesBeforeItConfirmed() {
        List<BatchResult.Failure> f = IpBatch.failures("ip", lines(5),
                result(255, "RTNETLINK answers: File exists\nCommand failed -:2\nError: argument \"x\" is wrong\n"));
        assertThat(items(f)).containsExactly("hosts/h2", "hosts/h3", "hosts/h4", "hosts/h5");
    }

    @Test
    void aCleanExitConfirmsEveryLine() {
        assertThat(IpBatch.failures("ip", lines(3), result(0, ""))).isEmpty();
    }

    @Test
    void anUnexplainedFailureStatusConfirmsNothing() {
        assertThat(items(IpBatch.failures("ip", lines(2), result(1, "")))).containsExactly("hosts/h1", "hosts/h2");
    }
}
