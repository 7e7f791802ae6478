package io.nfvlab.cli;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestStatus;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficRunnerProgressTest {
    private static final long SECOND = 1_000_000_000L;

    private static TrafficTest running(String message) {
        TrafficTest t = new TrafficTest();
        t.setMetadata(new ObjectMetaBuilder().withName("ndr").build());
        TrafficTestStatus s = new TrafficTestStatus();
        s.setPhase(TrafficTestStatus.Phase.RUNNING);
        s.setMessage(message);
        t.setStatus(s);
        return t;
    }

    @Test
    void aLongTestPrintsEachNewMessageOnce() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        String printed = TrafficRunner.printProgress(out, running("trial 1 at 100 % of line"), null, 4 * SECOND);
        printed = TrafficRunner.printProgress(out, running("trial 1 at 100 % of line"), printed, 5 * SECOND);
        TrafficRunner.printProgress(out, running("trial 2 at 50 % of line"), printed, 7 * SECOND);

        assertThat(text.toString()).isEqualTo("*** ndr: trial 1 at 100 % of line (4 s)\n*** ndr: trial 2 at 50 % of line (7 s)\n");
    }

    @Test
    void aShortTestStaysQuiet() {
        StringWriter text = new StringWriter();
        String printed = TrafficRunner.printProgress(new PrintWriter(text), running("running on node(s) vm"), null, SECOND);

        assertThat(printed).isNull();
        assertThat(text.toString()).isEmpty();
    }

    @Test
    void aFinishedTestsMessageIsLeftToTheResultPrinter() {
        StringWriter text = new StringWriter();
        TrafficTest done = running("all pairs answered");
        done.getStatus().setPhase(TrafficTestStatus.Phase.SUCCEEDED);

        TrafficRunner.printProgress(new PrintWriter(text), done, null, 10 * SECOND);

        assertThat(text.toString()).isEmpty();
    }
}
