package io.nfvlab.apiserver;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The store's objects by resource (plural), namespace and name, as a real API server keys them. The mock finds an
 * object by testing every stored object's attributes against the request's, so each GET by name, each PATCH, PUT and
 * create cost a pass over the whole store: with 1000 topologies and their node states stored, that pass was 40 % of
 * the in-process server's CPU. Not thread-safe: its owner guards it.
 */
final class StoreIndex {
    private final Map<String, AttributeSet> byKey = new HashMap<>();
    /** Per "plural/namespace": its objects in the mock's order (an update moves an object to the end, as there). */
    private final Map<String, Set<AttributeSet>> byCollection = new HashMap<>();

    /** "plural/namespace/name" ("plural//name" when cluster-scoped), or null when the set does not name one object. */
    static String key(AttributeSet attributes, boolean query) {
        String plural = single(attributes, KubernetesAttributesExtractor.PLURAL, query);
        String name = single(attributes, KubernetesAttributesExtractor.NAME, query);
        if (plural == null || name == null) {
            return null;
        }
        String namespace = attributes.containsKey(KubernetesAttributesExtractor.NAMESPACE)
                ? single(attributes, KubernetesAttributesExtractor.NAMESPACE, query) : "";
        return namespace == null ? null : plural + "/" + namespace + "/" + name;
    }

    /**
     * The one value of {@code key}; null when absent, when it has several, or (for a request's set) when it is not a
     * plain equality, such as a label selector's operators.
     */
    private static String single(AttributeSet attributes, String key, boolean query) {
        Attribute a = attributes.getAttribute(key);
        if (a == null || a.getValues().size() != 1 || (query && a.getType() != AttributeType.WITH)) {
            return null;
        }
        return String.valueOf(a.getValues().get(0));
    }

    /** "plural/namespace" of a stored object or of a request for a namespace's objects; null when it has no such pair. */
    static String collection(AttributeSet attributes, boolean query) {
        String plural = single(attributes, KubernetesAttributesExtractor.PLURAL, query);
        String namespace = single(attributes, KubernetesAttributesExtractor.NAMESPACE, query);
        return plural == null || namespace == null ? null : plural + "/" + namespace;
    }

    void put(AttributeSet stored) {
        String key = key(stored, false);
        if (key != null) {
            byKey.put(key, stored);
        }
        String collection = collection(stored, false);
        if (collection != null) {
            byCollection.computeIfAbsent(collection, c -> new LinkedHashSet<>()).add(stored);
        }
    }

    void remove(AttributeSet stored) {
        String key = key(stored, false);
        if (key != null) {
            byKey.remove(key, stored);
        }
        String collection = collection(stored, false);
        Set<AttributeSet> members = collection == null ? null : byCollection.get(collection);
        if (members != null) {
            members.remove(stored);
            if (members.isEmpty()) {
                byCollection.remove(collection);
            }
        }
    }

    /**
     * The stored objects of one namespace and resource that {@code query} matches (its labels, say), in the mock's
     * order. Throws {@link NotIndexed} when the query is not for one namespace's objects of one resource.
     */
    List<AttributeSet> list(AttributeSet query) {
        String collection = collection(query, true);
        if (collection == null || query.containsKey(KubernetesAttributesExtractor.NAME)) {
            throw NotIndexed.INSTANCE;
        }
        List<AttributeSet> found = new ArrayList<>();
        for (AttributeSet stored : byCollection.getOrDefault(collection, Set.of())) {
            if (stored.matches(query)) {
                found.add(stored);
            }
        }
        return found;
    }

    /**
     * The stored object's attributes when {@code query} names one object by plural, namespace and name and it is
     * stored; {@code null} when it is not. Throws {@link NotIndexed} when the query does not name one object that way
     * (a list, a label selector, a namespaced name asked for without its namespace): the caller searches as the mock does.
     */
    AttributeSet find(AttributeSet query) {
        String key = key(query, true);
        if (key == null) {
            throw NotIndexed.INSTANCE;
        }
        AttributeSet stored = byKey.get(key);
        if (stored == null && !query.containsKey(KubernetesAttributesExtractor.NAMESPACE)) {
            // a namespaced object asked for without a namespace: only a search finds it
            throw NotIndexed.INSTANCE;
        }
        return stored != null && stored.matches(query) ? stored : null;
    }

    void clear() {
        byKey.clear();
        byCollection.clear();
    }

    /** The query is not one the index answers. */
    static final class NotIndexed extends RuntimeException {
        static final NotIndexed INSTANCE = new NotIndexed();

        private NotIndexed() {
            super(null, null, false, false);
        }
    }
}
