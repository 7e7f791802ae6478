package io.nfvlab.cli.run;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.profile.LinkProfile;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.cli.ResourceApplier;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A run's link profiles and topologies, written as soon as the embedded API server has its CRDs, while the operator
 * and the agent are still starting: the operator finds them when its informers open and plans at once, instead of
 * after the whole control plane is up. What was written and what failed is reported by the run afterwards, once a
 * teardown can remove whatever was started by then.
 */
final class EarlyWrites implements Consumer<KubernetesClient> {
    /** A topology as it was created, and when it was written (its "ready in" counts from there). */
    record Written(VirtualTopology created, long writtenAt) {
    }

    private final List<LinkProfile> profiles;
    private final List<VirtualTopology> topologies;
    private final String namespace;
    private final List<String> profileLines = new ArrayList<>();
    private final Map<VirtualTopology, Written> written = new IdentityHashMap<>();
    private RuntimeException failure;

    EarlyWrites(List<LinkProfile> profiles, List<VirtualTopology> topologies, String namespace) {
        this.profiles = profiles;
        this.topologies = topologies;
        this.namespace = namespace;
    }

    @Override
    public void accept(KubernetesClient client) {
        try {
            for (LinkProfile p : profiles) {
                profileLines.add("*** " + ResourceApplier.describe(p) + " " + ResourceApplier.apply(client, p, namespace));
            }
            for (VirtualTopology t : topologies) {
                long at = System.nanoTime();
                ResourceApplier.apply(client, t, namespace);
                written.put(t, new Written(client.resource(t).get(), at));
            }
        } catch (RuntimeException e) {
            // e.g. a topology the API server refuses: reported by the run, whose teardown removes what came before it
            failure = e;
        }
    }

    /** Throws what failed, as the write would have thrown it. */
    void rethrowFailure() {
        if (failure != null) {
            throw failure;
        }
    }

    List<String> profileLines() {
        return profileLines;
    }

    /** How {@code topology} was written, or null when it was not (a failure before it). */
    Written written(VirtualTopology topology) {
        return written.get(topology);
    }
}
