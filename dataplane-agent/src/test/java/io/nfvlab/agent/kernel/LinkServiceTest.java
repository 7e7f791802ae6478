package io.nfvlab.agent.kernel;

import io.nfvlab.api.node.NetworkNodeStateStatus.ItemError;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LinkServiceTest {
    /** Links whose counts of links awaiting service per namespace are scripted, one value per read; the last stays. */
    private static final class ScriptedLinks implements LinkOps {
        final Map<String, List<Integer>> script = new HashMap<>();
        final List<String> reads = new ArrayList<>();

        ScriptedLinks awaiting(String netns, Integer... counts) {
            script.put(netns, new ArrayList<>(Arrays.asList(counts)));
            return this;
        }

        @Override
        public int linksAwaitingService(String netns) {
            reads.add(String.valueOf(netns));
            List<Integer> counts = script.getOrDefault(netns, List.of(0));
            return counts.size() > 1 ? counts.remove(0) : counts.get(0);
        }

        @Override
        public Map<String, Observed.Namespace> observe(Collection<String> hostNetns, boolean withQdiscs) {
            throw new UnsupportedOperationException();
        }

        @Override
        public BatchResult apply(String netns, List<Action> actions) {
            throw new UnsupportedOperationException();
        }
    }

    private static List<String> switchNamespacesAndRoot() {
        List<String> namespaces = new ArrayList<>(List.of("sw", "sw-1"));
        namespaces.add(null);
        return namespaces;
    }

    @Test
    void aSyncThatChangedLinksWaitsUntilEveryNamespaceHasNoneAwaitingService() {
        ScriptedLinks links = new ScriptedLinks().awaiting("sw", 40, 3, 0).awaiting("sw-1", 7, 7, 1, 0);
        assertThat(new LinkService(links, Duration.ofSeconds(5)).await("t1", switchNamespacesAndRoot(), true)).isNull();
        assertThat(links.script.get("sw")).containsExactly(0);
        assertThat(links.script.get("sw-1")).containsExactly(0);
        assertThat(links.reads).contains("null");
    }

    @Test
    void aSyncThatChangedNothingDoesNotLook() {
        ScriptedLinks links = new ScriptedLinks().awaiting("sw", 5);
        assertThat(new LinkService(links, Duration.ofSeconds(5)).await("t1", switchNamespacesAndRoot(), false)).isNull();
        assertThat(links.reads).isEmpty();
    }

    @Test
    void whenTheKernelStaysBehindTheSyncSaysSoAndTheNextSyncLooksAgainEvenWithoutChanges() {
        ScriptedLinks links = new ScriptedLinks().awaiting("sw-1", 12);
        LinkService service = new LinkService(links, Duration.ofMillis(50));
        ItemError error = service.await("t1", switchNamespacesAndRoot(), true);
        assertThat(error).isNotNull();
        assertThat(error.getItem()).isEqualTo("links");
        assertThat(error.getMessage()).startsWith("the kernel has not yet brought 12 links into service");

        links.awaiting("sw-1", 0);
        links.reads.clear();
        assertThat(service.await("t1", switchNamespacesAndRoot(), false)).isNull();
        assertThat(links.reads).as("the next sync looked again").isNotEmpty();
        links.reads.clear();
        assertThat(service.await("t1", switchNamespacesAndRoot(), false)).isNull();
        assertThat(links.reads).as("and once caught up, no more").isEmpty();
    }

    @Test
    void aTornDownOwnerIsForgotten() {
        ScriptedLinks links = new ScriptedLinks().awaiting("sw", 1);
        LinkService service = new LinkService(links, Duration.ofMillis(20));
        assertThat(service.await("t1", switchNamespacesAndRoot(), true)).isNotNull();
        service.forget("t1");
        links.reads.clear();
        assertThat(service.await("t1", switchNamespacesAndRoot(), false)).isNull();
        assertThat(links.reads).isEmpty();
    }
}
