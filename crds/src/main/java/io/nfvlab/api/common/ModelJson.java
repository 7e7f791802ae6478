package io.nfvlab.api.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The JSON mapping of model objects, one per process. Jackson builds a serializer and a deserializer for each type
 * once per mapper, by reflection over every property and annotation of the type and of the types it holds: in
 * `nfvlab run` that was ≈130 types and the largest part of its CPU after the JIT, and the API server, its
 * in-process clients and the operator's comparisons and plan splitting each built their own. They share this one.
 * <p>
 * The mapper is configured as fabric8's clients configure theirs ({@link KubernetesSerialization}), without a search
 * of the class loaders for model classes: a client registers the classes it is given and reads typed responses.
 */
public final class ModelJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Configures {@link #MAPPER} (its modules) as it is made. */
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization(MAPPER, false);

    private ModelJson() {
    }

    /** For clients: {@code Clients.client(config, ModelJson.serialization())}. */
    public static KubernetesSerialization serialization() {
        return SERIALIZATION;
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
