package io.nfvlab.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;
import java.util.Locale;

/** Creates a resource, or updates it when it exists (kubectl apply without the three-way merge), and says which. */
public final class ResourceApplier {
    private ResourceApplier() {
    }

    /** Returns "created" or "configured"; namespaced resources without a namespace go into {@code namespace}. */
    public static String apply(KubernetesClient client, HasMetadata resource, String namespace) {
        if (resource instanceof Namespaced && resource.getMetadata().getNamespace() == null) {
            resource.getMetadata().setNamespace(namespace);
        }
        try {
            client.resource(resource).create();
            return "created";
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
        HasMetadata existing = client.resource(resource).get();
        if (existing != null) {
            resource.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            resource.getMetadata().setFinalizers(existing.getMetadata().getFinalizers());
        }
        client.resource(resource).update();
        return "configured";
    }

    /** kubectl's way of naming an object: {@code virtualtopology.nfvlab.io/linear-4}. */
    public static String describe(HasMetadata r) {
        String group = r.getApiVersion() != null && r.getApiVersion().contains("/")
                ? r.getApiVersion().substring(0, r.getApiVersion().indexOf('/')) : "";
        return r.getKind().toLowerCase(Locale.ROOT) + (group.isEmpty() ? "" : "." + group) + "/" + r.getMetadata().getName();
    }
}
