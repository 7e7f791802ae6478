package io.nfvlab.operator.controller;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.nfvlab.api.common.Hashes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Writes core/v1 Events about an object (what {@code kubectl describe} shows), deduplicated as kubelet's are: the same
 * type, reason and message about the same object is one Event whose {@code count} and {@code lastTimestamp} grow
 * ("x3 over 2m"), not a new Event each time. The Event's name is derived from those fields, so the deduplication holds
 * across operator restarts and replicas. Every Event names the operator as its reporting controller. Failing to write
 * an event never fails a reconcile: it is logged instead.
 */
public final class Events {
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
    /** events.k8s.io's reportingController (core/v1 reportingComponent): who writes nfvlab's Events. */
    public static final String REPORTING_CONTROLLER = "nfvlab.io/operator";
    /** The API server refuses longer messages (events.k8s.io: note ≤ 1 kB). */
    static final int MAX_MESSAGE = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private final KubernetesClient client;
    private final String component;
    private final String instance;
    private final Clock clock;
    private final EventOccurrences occurrences = new EventOccurrences();

    public Events(KubernetesClient client, String component) {
        this(client, component, instanceName(), Clock.systemUTC());
    }

    Events(KubernetesClient client, String component, String instance, Clock clock) {
        this.client = client;
        this.component = component;
        this.instance = instance;
        this.clock = clock;
    }

    public void warning(HasMetadata about, String reason, String message) {
        record(about, WARNING, reason, message);
    }

    public void normal(HasMetadata about, String reason, String message) {
        record(about, NORMAL, reason, message);
    }

    private void record(HasMetadata about, String type, String reason, String message) {
        // events of a cluster-scoped object (a DpdkBridge) live in "default", as the API server expects
        String namespace = about.getMetadata().getNamespace() == null ? "default" : about.getMetadata().getNamespace();
        String text = message == null || message.isEmpty() ? reason
                : message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
        String name = about.getMetadata().getName() + "." + Hashes.sha256Hex(about.getKind() + "\n" + about.getMetadata().getUid()
                + "\n" + type + "\n" + reason + "\n" + text).substring(0, 16);
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            try {
                client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                        .withInvolvedObject(new ObjectReferenceBuilder()
                                .withApiVersion(about.getApiVersion())
                                .withKind(about.getKind())
                                .withName(about.getMetadata().getName())
                                .withNamespace(about.getMetadata().getNamespace())
                                .withUid(about.getMetadata().getUid())
                                .withResourceVersion(about.getMetadata().getResourceVersion())
                                .build())
                        .withType(type)
                        .withReason(reason)
                        .withMessage(text)
                        .withFirstTimestamp(now)
                        .withLastTimestamp(now)
                        .withCount(1)
                        .withReportingComponent(REPORTING_CONTROLLER)
                        .withReportingInstance(instance)
                        .withNewSource().withComponent(component).endSource()
                        .build()).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                // seen before: one more occurrence of the same Event, counted here as the Kubernetes event recorder
                // counts, because the operator may patch events but not read them (the chart grants create and patch).
                // Patched through a named stand-in: by name alone, fabric8 reads the Event first (a GET).
                client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata().build())
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"count\":" + occurrences.seenAgain(namespace + "/" + name)
                                + ",\"lastTimestamp\":\"" + now + "\"}");
            }
        } catch (KubernetesClientException e) {
            LOG.warn("could not record event {} on {}/{}: {}", reason, namespace, about.getMetadata().getName(), e.getMessage());
        }
    }


    /** The pod's name in a cluster (HOSTNAME), else the host's: which operator replica wrote an Event. */
    private static String instanceName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "unknown";
            }
        }
        return host.length() > 128 ? host.substring(0, 128) : host;
    }
}
