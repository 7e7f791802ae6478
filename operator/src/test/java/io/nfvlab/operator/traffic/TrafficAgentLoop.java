package io.nfvlab.operator.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.nfvlab.agent.traffic.TrafficJobs;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateStatus;
import io.nfvlab.api.node.TrafficJobResult;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The traffic half of an agent for one node, for operator tests: watches the node's TrafficTest node states, calls
 * {@link TrafficJobs#sync} (the real ProcessTrafficJobs or a scripted fake) and writes the results into the states'
 * status, re-polling while any job is Running — what the agent's reconciler does with its TrafficJobs.
 */
final class TrafficAgentLoop implements AutoCloseable {
    private final KubernetesClient client;
    private final TrafficJobs jobs;
    private final SharedIndexInformer<NetworkNodeState> informer;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();

    TrafficAgentLoop(KubernetesClient client, String node, TrafficJobs jobs) {
        this.client = client;
        this.jobs = jobs;
        this.informer = client.resources(NetworkNodeState.class)
                .withLabel(Nfvlab.NODE_LABEL, node)
                .withLabel(Nfvlab.OWNER_KIND_LABEL, "TrafficTest")
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
                        worker.submit(() -> jobs.forget(s));
                    }
                });
    }

    private void handle(String name) {
        try {
            NetworkNodeState s = client.resources(NetworkNodeState.class).withName(name).get();
            if (s == null || s.getMetadata().getDeletionTimestamp() != null) {
                return;
            }
            List<TrafficJobResult> results = jobs.sync(s);
            NetworkNodeStateStatus status = s.getStatus() == null ? new NetworkNodeStateStatus() : s.getStatus();
            if (!Objects.equals(status.getTrafficResults(), results) || !Objects.equals(status.getObservedGeneration(), s.getMetadata().getGeneration())) {
                status.setTrafficResults(results);
                status.setObservedGeneration(s.getMetadata().getGeneration());
                s.setStatus(status);
                client.resource(s).updateStatus();
            }
            if (results.stream().anyMatch(r -> "Running".equals(r.getPhase()))) {
                worker.schedule(() -> handle(name), 200, TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            // a conflict with a concurrent write: the informer brings the next version
            worker.schedule(() -> handle(name), 200, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        informer.close();
        worker.shutdownNow();
    }
}
