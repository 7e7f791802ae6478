package io.nfvlab.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for the agent of one node, for operator tests that are about the operator's side of the contract
 * only: it reports every state of its node Synced at its current generation, and releases its finalizer on
 * deletion. It realizes nothing.
 */
public final class TestingAgent implements AutoCloseable {
    private final KubernetesClient client;
    private final String node;
    private final SharedIndexInformer<NetworkNodeState> informer;
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private volatile boolean paused;

    public TestingAgent(KubernetesClient client, String node) {
        this.client = client;
        this.node = node;
        this.informer = client.resources(NetworkNodeState.class).withLabel(Nfvlab.NODE_LABEL, node)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(NetworkNodeState s) {
                        worker.submit(() -> handle(s.getMetadata().getName()));
                    }

                    @Override
                    public void onUpdate(NetworkNodeState o, NetworkNodeState s) {
                        worker.submit(() -> handle(s.getMetadata().getName()));
                    }

                    @Override
                    public void onDelete(NetworkNodeState s, boolean unknown) {
                    }
                });
    }

    /** A paused agent does nothing, like one whose node went away. */
    public void pause() {
        paused = true;
    }

    private void handle(String name) {
        if (paused) {
            return;
        }
        NetworkNodeState s = client.resources(NetworkNodeState.class).withName(name).get();
        if (s == null) {
            return;
        }
        if (s.getMetadata().getDeletionTimestamp() != null) {
            if (s.getMetadata().getFinalizers() != null && s.getMetadata().getFinalizers().contains(Nfvlab.AGENT_FINALIZER)) {
                client.resource(s).edit(x -> {
                    List<String> f = new ArrayList<>(x.getMetadata().getFinalizers());
                    f.remove(Nfvlab.AGENT_FINALIZER);
                    x.getMetadata().setFinalizers(f);
                    return x;
                });
            }
            return;
        }
        Long generation = s.getMetadata().getGeneration();
        if (s.getStatus() != null && generation.equals(s.getStatus().getObservedGeneration())) {
            return;
        }
        NetworkNodeStateStatus status = NetworkNodeStateStatus.builder()
                .observedGeneration(generation)
                .conditions(Conditions.set(null, Conditions.SYNCED, true, "Synced", "applied", generation))
                .hostsReady(s.getSpec().hostsOrEmpty().size())
                .linksReady(s.getSpec().linksOrEmpty().size())
                .tunnelsReady(s.getSpec().tunnelsOrEmpty().size())
                .lastActions(0)
                .build();
        s.setStatus(status);
        client.resource(s).updateStatus();
    }

    @Override
    public void close() {
        informer.close();
        worker.shutdownNow();
    }

    public String node() {
        return node;
    }
}
