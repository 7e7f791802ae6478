package io.nfvlab.operator;

import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.apiserver.EmbeddedApiServer;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Mininet's `minimal` topology in namespace default, for the tests that only need the operator to make one Ready. */
final class MinimalTopologies {
    private MinimalTopologies() {
    }

    static void create(EmbeddedApiServer server, String name) {
        VirtualTopology vt = new VirtualTopology();
        vt.getMetadata().setName(name);
        vt.getMetadata().setNamespace("default");
        vt.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("minimal").build()).build());
        server.client().resource(vt).create();
    }

    static void awaitReady(EmbeddedApiServer server, String name, Duration within) {
        await().atMost(within).until(() -> {
            VirtualTopology t = server.client().resources(VirtualTopology.class).inNamespace("default").withName(name).get();
            return t.getStatus() != null && Conditions.isTrue(t.getStatus().getConditions(), Conditions.READY);
        });
    }
}
