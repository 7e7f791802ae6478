package io.nfvlab.operator.nodestate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.apiserver.EmbeddedApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token allocation against the in-process API server, with one {@link OwnerTokens} per simulated operator (separate
 * caches, as two replicas or two reconcile threads would have): the API server's create-once of a record is the only
 * thing that keeps owners apart.
 */
class OwnerTokensTest {
    private static final String NS = "lab";
    private static final String SYSTEM = "nfvlab-system";
    private static final String KIND = "VirtualTopology";
    private EmbeddedApiServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start();
        client = server.client();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A topology as the API server has it (with the uid it gave): records name owners that exist. */
    private HasMetadata owner(String name) {
        VirtualTopology t = new VirtualTopology();
        t.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName(name).build());
        t.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("minimal").build()).build());
        return client.resource(t).create();
    }

    /** Pairs of names whose first candidates are the same token (found by search: about a thousand names a pair). */
    private static List<String[]> twins(int count) {
        Map<String, String> seen = new HashMap<>();
        List<String[]> out = new ArrayList<>();
        for (int i = 0; out.size() < count; i++) {
            String name = "t" + i;
            String token = KernelNames.token(KIND, NS, name);
            String other = seen.putIfAbsent(token, name);
            if (other != null) {
                out.add(new String[]{other, name});
                seen.remove(token);
            }
        }
        return out;
    }

    @Test
    void twoSimultaneousCreatesOfTheSameTokenGetDifferentTokens() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<KubernetesClient> clients = List.of(server.newClient(), server.newClient());
        try {
            for (String[] pair : twins(10)) {
                HasMetadata a = owner(pair[0]);
                HasMetadata b = owner(pair[1]);
                // two operators that have never seen each other's allocations, started at the same instant
                OwnerTokens first = new OwnerTokens(clients.get(0), SYSTEM);
                OwnerTokens second = new OwnerTokens(clients.get(1), SYSTEM);
                CyclicBarrier together = new CyclicBarrier(2);
                CompletableFuture<String> ta = CompletableFuture.supplyAsync(() -> {
                    await(together);
                    return first.tokenOf(KIND, a, null);
                }, pool);
                CompletableFuture<String> tb = CompletableFuture.supplyAsync(() -> {
                    await(together);
                    return second.tokenOf(KIND, b, null);
                }, pool);
                String tokenA = ta.get();
                String tokenB = tb.get();
                assertThat(tokenA).as(String.join(" and ", pair)).isNotEqualTo(tokenB);
                // one of them got the contested token; each holds one of its own candidates
                assertThat(Set.of(tokenA, tokenB)).contains(KernelNames.token(KIND, NS, pair[0]));
                assertThat(KernelNames.tokenCandidates(KIND, NS, pair[0])).contains(tokenA);
                assertThat(KernelNames.tokenCandidates(KIND, NS, pair[1])).contains(tokenB);
            }
        } finally {
            pool.shutdownNow();
            clients.forEach(KubernetesClient::close);
        }
    }

    @Test
    void anOwnerKeepsItsTokenAcrossOperatorsAndLosesItOnlyByRelease() {
        String[] pair = twins(1).get(0);
        HasMetadata a = owner(pair[0]);
        HasMetadata b = owner(pair[1]);
        OwnerTokens operator = new OwnerTokens(client, SYSTEM);
        String tokenA = operator.tokenOf(KIND, a, null);
        String tokenB = operator.tokenOf(KIND, b, null);
        assertThat(tokenA).isEqualTo(KernelNames.token(KIND, NS, pair[0]));
        assertThat(tokenB).isEqualTo(KernelNames.tokenCandidates(KIND, NS, pair[1]).get(1));

        // a restarted operator (no cache) that has not published b yet finds b's record by its uid
        OwnerTokens restarted = new OwnerTokens(client, SYSTEM);
        assertThat(restarted.tokenOf(KIND, b, null)).isEqualTo(tokenB);
        // after a's token is free again, b keeps the one its states carry
        restarted.release(KIND, a);
        client.resource(a).delete();
        OwnerTokens third = new OwnerTokens(client, SYSTEM);
        assertThat(third.tokenOf(KIND, b, tokenB)).isEqualTo(tokenB);
        // and a re-created a (another uid) may take the freed token
        org.awaitility.Awaitility.await().until(() -> client.resource(a).get() == null);
        assertThat(third.tokenOf(KIND, owner(pair[0]), null)).isEqualTo(tokenA);
        assertThat(client.configMaps().inNamespace(SYSTEM).withLabel(OwnerTokens.TOKEN_LABEL).list().getItems()).hasSize(2);
    }

    @Test
    void aHundredOwnersHoldAHundredTokens() {
        OwnerTokens operator = new OwnerTokens(client, SYSTEM);
        Set<String> tokens = new HashSet<>();
        for (String[] pair : twins(20)) {
            tokens.add(operator.tokenOf(KIND, owner(pair[0]), null));
            tokens.add(operator.tokenOf(KIND, owner(pair[1]), null));
        }
        for (int i = 0; i < 60; i++) {
            tokens.add(operator.tokenOf(KIND, owner("other-" + i), null));
        }
        assertThat(tokens).hasSize(100);
    }

    /**
     * A record whose owner is gone without releasing it (its finalizer removed by hand) is taken over by the next
     * owner that needs the token, but not while a NetworkNodeState still carries the token (its agent may still be
     * tearing down what the token names).
     */
    @Test
    void aRecordOutlivingItsOwnerIsReclaimedOnceNoStateCarriesItsToken() {
        String[] pair = twins(1).get(0);
        HasMetadata gone = owner(pair[0]);
        OwnerTokens operator = new OwnerTokens(client, SYSTEM);
        String token = operator.tokenOf(KIND, gone, null);
        // the owner disappears without the operator's cleanup; one of its states is still there
        client.resource(gone).delete();
        org.awaitility.Awaitility.await().until(() -> client.resource(gone).get() == null);
        io.nfvlab.api.node.NetworkNodeState leftover = new io.nfvlab.api.node.NetworkNodeState();
        leftover.setMetadata(new ObjectMetaBuilder().withName("leftover")
                .addToLabels(io.nfvlab.api.Nfvlab.OWNER_KIND_LABEL, KIND)
                .addToLabels(io.nfvlab.api.Nfvlab.OWNER_NAME_LABEL, pair[0])
                .addToLabels(io.nfvlab.api.Nfvlab.OWNER_NAMESPACE_LABEL, NS).build());
        leftover.setSpec(io.nfvlab.api.node.NetworkNodeStateSpec.builder().nodeName("node-a")
                .owner(io.nfvlab.api.node.OwnerRef.builder().kind(KIND).namespace(NS).name(pair[0]).token(token).build()).build());
        leftover = client.resource(leftover).create();

        HasMetadata next = owner(pair[1]);
        assertThat(new OwnerTokens(client, SYSTEM).tokenOf(KIND, next, null)).as("a state still carries it").isNotEqualTo(token);

        client.resource(leftover).delete();
        org.awaitility.Awaitility.await().until(() -> client.resources(io.nfvlab.api.node.NetworkNodeState.class).withName("leftover").get() == null);
        // with no state left, the next owner that tries the token (b again, its own record released) takes it over
        new OwnerTokens(client, SYSTEM).release(KIND, next);
        assertThat(new OwnerTokens(client, SYSTEM).tokenOf(KIND, next, null)).isEqualTo(token);
        assertThat(client.configMaps().inNamespace(SYSTEM).withName(OwnerTokens.RECORD_PREFIX + token).get().getData())
                .containsEntry("name", pair[1]);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
