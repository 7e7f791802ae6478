package io.nfvlab.operator.controller;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.nfvlab.apiserver.EmbeddedApiServer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same Event a second time is counted on the first, as Kubernetes' event recorder counts, with the rights the chart
 * gives the operator on events: create and patch, never get.
 */
class EventsTest {
    @Test
    void theSameEventTwiceIsCountedWithoutReadingIt() {
        List<String> requests = new CopyOnWriteArrayList<>();
        try (EmbeddedApiServer server = EmbeddedApiServer.start();
             KubernetesClient operatorClient = recording(server, requests)) {
            ConfigMap about = server.client().resource(new ConfigMapBuilder().withNewMetadata().withName("watched")
                    .withNamespace("default").endMetadata().build()).create();
            Events events = new Events(operatorClient, "nfvlab-operator", "test-instance", Clock.systemUTC());

            events.normal(about, "Ready", "all there");
            events.normal(about, "Ready", "all there");

            List<Event> stored = server.client().v1().events().inNamespace("default").list().getItems();
            assertThat(stored).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(2));
            assertThat(requests).as("the operator's requests on events").containsExactly("POST", "POST", "PATCH");
        }
    }

    /** A client of {@code server} that notes the method of each request it sends about events. */
    private static KubernetesClient recording(EmbeddedApiServer server, List<String> into) {
        return new KubernetesClientBuilder().withConfig(server.config())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("recorder", new Interceptor() {
                    @Override
                    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        if (request.uri().getPath().contains("/events")) {
                            into.add(request.method());
                        }
                    }
                }))
                .build();
    }
}
