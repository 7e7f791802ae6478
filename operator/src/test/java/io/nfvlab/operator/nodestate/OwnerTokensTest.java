package io.nfvlab.operator.nodestate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.topology.VirtualTopology;
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
import java.util.UUID;
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

    private static HasMetadata owner(String name) {
        VirtualTopology t = new VirtualTopology();
        t.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName(name).withUid(UUID.randomUUID().toString()).build());
        return t;
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
        OwnerTokens third = new OwnerTokens(client, SYSTEM);
        assertThat(third.tokenOf(KIND, b, tokenB)).isEqualTo(tokenB);
        // and a re-created a (another uid) may take the freed token
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

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
