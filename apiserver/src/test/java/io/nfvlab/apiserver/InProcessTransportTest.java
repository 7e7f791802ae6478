package io.nfvlab.apiserver;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.runtime.Clients;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Clients in the server's JVM reach it by a method call ({@link EmbeddedApiServer#inProcess()}), held to the same rules. */
class InProcessTransportTest {

    @Test
    void opensNoPortUntilAskedAndThenServesTheSameStoreOverHttp() {
        try (EmbeddedApiServer server = EmbeddedApiServer.inProcess()) {
            server.installCrds();
            KubernetesClient inProcess = server.newClient();
            inProcess.resource(topology("lin", 4)).create();
            assertThat(server.port()).isZero();

            server.kubeconfig("default");

            assertThat(server.port()).isPositive();
            try (KubernetesClient overHttp = Clients.client(server.config())) {
                assertThat(overHttp.resources(VirtualTopology.class).inNamespace("default").withName("lin").get()
                        .getSpec().getTopology().getK()).isEqualTo(4);
            }
        }
    }

    @Test
    void aClientDerivedWithoutRetriesStaysInProcess() {
        // the agent renews its Lease through such a client: over HTTP it would reach no listener at all
        try (EmbeddedApiServer server = EmbeddedApiServer.inProcess(); KubernetesClient client = newClient(server);
             KubernetesClient derived = Clients.withoutRetries(client)) {
            client.resource(topology("seen", 2)).create();
            assertThat(derived.resources(VirtualTopology.class).inNamespace("default").withName("seen").get()).isNotNull();
            assertThat(server.port()).isZero();
        }
    }

    @Test
    void requestsFromManyThreadsAreServedOneAtATimeAsTheEventLoopServesThem() throws Exception {
        // the mock's dispatcher is not safe for concurrent requests: in-process they would otherwise run side by side
        try (EmbeddedApiServer server = EmbeddedApiServer.inProcess(); KubernetesClient client = newClient(server)) {
            onThreads(4, () -> { }, thread -> {
                for (int i = 0; i < 40; i++) {
                    client.resource(topology("t" + thread + "-" + i, 2)).create();
                    client.resources(VirtualTopology.class).inAnyNamespace().list();
                    try (Watch w = client.resources(VirtualTopology.class).inNamespace("default").watch(new Recording())) {
                        client.resources(VirtualTopology.class).inNamespace("default").withName("t" + thread + "-" + i).delete();
                    }
                }
                return 1;
            });
            assertThat(client.resources(VirtualTopology.class).inAnyNamespace().list().getItems()).isEmpty();
        }
    }

    @Test
    void theCrdsGoInWhileOtherClientsAreAlreadyAtWorkAsInNfvlabRun() throws Exception {
        // nfvlab run installs the CRDs on its main thread while the agent already takes its Lease and registers its
        // Node: under load a request that read the mock's registry of custom resources as it grew once failed
        for (int round = 0; round < 30; round++) {
            try (EmbeddedApiServer server = EmbeddedApiServer.inProcess(); KubernetesClient agent = server.newClient()) {
                java.util.concurrent.atomic.AtomicBoolean installed = new java.util.concurrent.atomic.AtomicBoolean();
                List<Integer> requests = onThreads(3, () -> {
                    server.installCrds();
                    installed.set(true);
                }, thread -> {
                    int sent = 0;
                    for (int i = 0; !installed.get() || i < 5; i++) {
                        agent.configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                                .withNewMetadata().withName("c" + thread + "-" + i).endMetadata().build()).create();
                        agent.configMaps().inNamespace("default").withLabel("x", "y").list();
                        sent += 2;
                    }
                    return sent;
                });
                assertThat(requests).allMatch(n -> n > 0);
                assertThat(agent.resource(topology("after-the-crds", 2)).create().getMetadata().getUid()).isNotBlank();
            }
        }
    }

    @Test
    void requestsOverHttpAndInProcessAreServedOneAtATime() throws Exception {
        // the prompt of nfvlab run --keep: kubectl over the loopback port beside the run's own in-process clients
        try (EmbeddedApiServer server = EmbeddedApiServer.inProcess(); KubernetesClient inProcess = newClient(server)) {
            server.serveOnLoopback();
            try (KubernetesClient overHttp = Clients.client(server.config())) {
                onThreads(4, () -> { }, thread -> {
                    KubernetesClient client = thread % 2 == 0 ? inProcess : overHttp;
                    for (int i = 0; i < 40; i++) {
                        client.resource(topology("h" + thread + "-" + i, 2)).create();
                        client.resources(VirtualTopology.class).inAnyNamespace().list();
                        client.resources(VirtualTopology.class).inNamespace("default").withName("h" + thread + "-" + i).delete();
                    }
                    return 1;
                });
                assertThat(inProcess.resources(VirtualTopology.class).inAnyNamespace().list().getItems()).isEmpty();
            }
        }
    }

    @Test
    void createsReadsPatchesAndDeletesAsOverHttp() {
        try (EmbeddedApiServer server = EmbeddedApiServer.inProcess(); KubernetesClient client = newClient(server)) {
            VirtualTopology created = client.resource(topology("crud", 2)).create();
            assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
            assertThat(created.getSpec().getIpBase()).as("the schema's default").isEqualTo("10.0.0.0/8");

            client.resources(VirtualTopology.class).inNamespace("default").withName("crud")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"topology\":{\"k\":3}}}");
            client.resources(VirtualTopology.class).inNamespace("default").withName("crud")
                    .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"/spec/topology/k\",\"value\":5}]");

            VirtualTopology read = client.resources(VirtualTopology.class).inNamespace("default").withName("crud").get();
            assertThat(read.getSpec().getTopology().getK()).isEqualTo(5);
            assertThat(read.getMetadata().getGeneration()).isEqualTo(3L);
            assertThat(client.resources(VirtualTopology.class).inAnyNamespace().list().getItems()).hasSize(1);

            assertThat(client.resource(read).delete()).isNotEmpty();
            assertThat(client.resources(VirtualTopology.class).inNamespace("default").withName("crud").get()).isNull();
        }
    }

    @Test
    void refusesWhatARealServerRefuses() {
        try (EmbeddedApiServer server = EmbeddedApiServer.inProcess(); KubernetesClient client = newClient(server)) {
            assertThatThrownBy(() -> client.resource(topology("bad", 0)).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getStatus().getDetails().getCauses()).singleElement()
                                .satisfies(c -> assertThat(c.getField()).isEqualTo("spec.topology.k"));
                    });

            Config wrongToken = new ConfigBuilder(server.config()).withOauthToken("not-the-token").build();
            try (KubernetesClient stranger = Clients.client(wrongToken, null, server.inProcessClientFactory())) {
                assertThatThrownBy(() -> stranger.resources(VirtualTopology.class).inAnyNamespace().list())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
                assertThatThrownBy(() -> stranger.resources(VirtualTopology.class).inAnyNamespace().watch(new Recording()))
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
            }
            assertThat(server.inProcessWatches()).isZero();
        }
    }

    @Test
    void aWatchSeesEveryChangeInOrderAndEndsOnBothSidesWhenClosed() throws Exception {
        try (EmbeddedApiServer server = EmbeddedApiServer.inProcess(); KubernetesClient client = newClient(server)) {
            Recording events = new Recording();
            Watch watch = client.resources(VirtualTopology.class).inNamespace("default").watch(events);
            assertThat(server.inProcessWatches()).isEqualTo(1);

            client.resource(topology("w", 2)).create();
            client.resources(VirtualTopology.class).inNamespace("default").withName("w")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"topology\":{\"k\":3}}}");
            client.resources(VirtualTopology.class).inNamespace("default").withName("w").delete();

            assertThat(events.next()).isEqualTo("ADDED w k=2");
            assertThat(events.next()).isEqualTo("MODIFIED w k=3");
            assertThat(events.next()).isEqualTo("DELETED w k=3");

            watch.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.inProcessWatches() == 0);
            client.resource(topology("after", 2)).create();
            assertThat(events.queue.poll(300, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void aStoppedServerRefusesRequestsCutsWatchesAndAnInformerCatchesUpAfterTheRestart() {
        try (EmbeddedApiServer server = EmbeddedApiServer.inProcess();
             // one attempt: fabric8 retries a refused connection for 20 s by default
             KubernetesClient client = Clients.client(new ConfigBuilder(server.config()).withRequestRetryBackoffLimit(0).build(),
                     null, server.inProcessClientFactory())) {
            server.installCrds();
            List<String> seen = new CopyOnWriteArrayList<>();
            SharedIndexInformer<VirtualTopology> informer = client.resources(VirtualTopology.class).inAnyNamespace()
                    .inform(new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(VirtualTopology obj) {
                            seen.add(obj.getMetadata().getName());
                        }

                        @Override
                        public void onUpdate(VirtualTopology oldObj, VirtualTopology newObj) {
                        }

                        @Override
                        public void onDelete(VirtualTopology obj, boolean deletedFinalStateUnknown) {
                        }
                    });
            client.resource(topology("before", 2)).create();
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("before"));

            server.stop();
            assertThat(server.inProcessWatches()).isZero();
            assertThatThrownBy(() -> client.resources(VirtualTopology.class).inAnyNamespace().list())
                    .isInstanceOf(KubernetesClientException.class);

            server.restart();
            server.client().resource(topology("while-it-reconnected", 2)).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("while-it-reconnected"));
            informer.close();
        }
    }

    /** What each of {@code threads} threads' {@code body} (given its number) returned; {@code meanwhile} runs on this one. */
    private static <T> List<T> onThreads(int threads, Runnable meanwhile, java.util.function.IntFunction<T> body) throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<T>> running = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running.add(pool.submit(() -> body.apply(thread)));
            }
            meanwhile.run();
            List<T> results = new java.util.ArrayList<>();
            for (var f : running) {
                results.add(f.get(50, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static KubernetesClient newClient(EmbeddedApiServer server) {
        server.installCrds();
        return server.newClient();
    }

    private static VirtualTopology topology(String name, int k) {
        VirtualTopology vt = new VirtualTopology();
        vt.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
        vt.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("linear").k(k).build()).build());
        return vt;
    }

    private static final class Recording implements Watcher<VirtualTopology> {
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

        @Override
        public void eventReceived(Action action, VirtualTopology resource) {
            queue.add(action + " " + resource.getMetadata().getName() + " k=" + resource.getSpec().getTopology().getK());
        }

        @Override
        public void onClose(WatcherException cause) {
        }

        String next() throws InterruptedException {
            String event = queue.poll(10, TimeUnit.SECONDS);
            assertThat(event).as("a watch event within 10 s").isNotNull();
            return event;
        }
    }
}
