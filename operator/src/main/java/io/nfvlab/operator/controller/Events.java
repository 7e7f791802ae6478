package io.nfvlab.operator.controller;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Writes core/v1 Events about an object (what {@code kubectl describe} shows). Failing to write an event never fails
 * a reconcile: it is logged instead.
 */
public final class Events {
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private final KubernetesClient client;
    private final String component;

    public Events(KubernetesClient client, String component) {
        this.client = client;
        this.component = component;
    }

    public void warning(HasMetadata about, String reason, String message) {
        record(about, WARNING, reason, message);
    }

    public void normal(HasMetadata about, String reason, String message) {
        record(about, NORMAL, reason, message);
    }

    private void record(HasMetadata about, String type, String reason, String message) {
        String namespace = about.getMetadata().getNamespace() == null ? "default" : about.getMetadata().getNamespace();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata()
                    .withName(about.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                    .withNamespace(namespace)
                    .endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(about.getApiVersion())
                            .withKind(about.getKind())
                            .withName(about.getMetadata().getName())
                            .withNamespace(about.getMetadata().getNamespace())
                            .withUid(about.getMetadata().getUid())
                            .build())
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .withNewSource().withComponent(component).endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.warn("could not record event {} on {}/{}: {}", reason, namespace, about.getMetadata().getName(), e.getMessage());
        }
    }
}
