package io.nfvlab.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nfvlab.api.common.ModelJson;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesVersionPriority;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.nfvlab.crdvalidation.CrdSchemaValidator;
import io.nfvlab.crdvalidation.FieldError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD store with what a real kube-apiserver (1.32, etcd 3.5) adds in front of and around it, so that a
 * component tested here meets what a cluster would answer:
 * <ul>
 * <li>a bearer token on every request, else 401 Unauthorized;</li>
 * <li>request bodies of at most 3 MiB, else 413 RequestEntityTooLarge;</li>
 * <li>stored objects within etcd's limits, else the 500 the real server passes on from etcd;</li>
 * <li>custom resources defaulted, pruned of unknown fields (reported in a Warning header) and validated against
 * their CRD's schema and CEL rules on create, update and patch, the status subresource against the status schema,
 * else 422 Invalid with one cause per field.</li>
 * </ul>
 */
final class ApiServerDispatcher extends KubernetesCrudDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServerDispatcher.class);
    /**
     * kube-apiserver reads at most 3 MiB of a request body (k8s.io/apiserver's MaxRequestBodyBytes, twice etcd's
     * limit because JSON is larger than the protobuf it stores) and answers more with
     * errors.NewRequestEntityTooLargeError("limit is 3145728"): 413, reason RequestEntityTooLarge.
     */
    static final int MAX_REQUEST_BYTES = 3 * 1024 * 1024;
    /**
     * etcd refuses a write whose request exceeds --max-request-bytes (default 1.5 MiB) with "etcdserver: request is
     * too large"; kube-apiserver does not map that error (kubernetes#74600, #112152) and answers 500 with that
     * message and no reason. Custom resources are stored as JSON, so the stored JSON's size is what counts (the key
     * and the request's framing add a few hundred bytes that this ignores).
     */
    static final int MAX_STORED_BYTES = 1_572_864;
    /**
     * Past 2 MiB the apiserver's own gRPC client to etcd refuses to send the message (seen on 1.32: "rpc error: code =
     * ResourceExhausted desc = trying to send message larger than max (2578093 vs. 2097152)"), again a bare 500.
     */
    static final int MAX_ETCD_CLIENT_SEND_BYTES = 2 * 1024 * 1024;

    private static final String CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

    private static final Pattern CR_PATH = Pattern.compile(
            "^/apis/([^/]+)/([^/]+)/(?:namespaces/[^/]+/)?([^/?]+)(?:/([^/?]+))?(?:/([^/?]+))?(?:\\?.*)?$");

    /** Daemon threads: a validator still compiling never keeps the JVM alive. */
    private static final Executor COMPILER_THREADS = command -> {
        Thread t = new Thread(command, "crd-validator-compiler");
        t.setDaemon(true);
        t.start();
    };

    private final ObjectMapper json = new ObjectMapper();
    private final byte[] expectedAuthorization;
    /** Validators of every served custom resource version, by "group/version/plural"; filled as CRDs are stored. */
    private final Map<String, Crd> crds = new ConcurrentHashMap<>();
    /** The write this thread is serving (set around create, update and patch): what processEvent stored, warnings. */
    private final ThreadLocal<Write> write = new ThreadLocal<>();
    /** Guards {@link #index}; taken inside the mock's own lock on writes, alone on reads, so never the other way round. */
    private final ReadWriteLock indexLock = new ReentrantReadWriteLock();
    private final StoreIndex index = new StoreIndex();
    /** The newest resource version handed out (the mock keeps its own counter private). */
    private final AtomicLong resourceVersion = new AtomicLong();
    /** A query string of one label selector and nothing else (no watch, field selector or paging). */
    private static final Pattern LABEL_SELECTOR_ONLY = Pattern.compile("labelSelector=[^&]*");

    /**
     * A served custom resource. Its validator compiles the CRD's CEL rules, which takes most of a second when the JVM
     * is cold: it is built in the background as the CRD is stored, so that the server is up while it compiles, and
     * the first write of that resource waits for it (no write is ever admitted unvalidated).
     */
    private record Crd(String kind, String group, CompletableFuture<CrdSchemaValidator> compiled, boolean statusSubresource) {
        CrdSchemaValidator validator() {
            return compiled.join();
        }
    }

    private static final class Write {
        String stored;
        final List<String> warnings = new ArrayList<>();
    }

    /** Thrown inside the store's write lock before anything is stored; answered as {@link #response}. */
    private static final class Refused extends RuntimeException {
        final MockResponse response;

        Refused(MockResponse response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    ApiServerDispatcher(String token) {
        this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String authorization = request.getHeader("Authorization");
        // constant time, so that the token cannot be guessed byte by byte from response times
        if (authorization == null || !MessageDigest.isEqual(expectedAuthorization, authorization.getBytes(StandardCharsets.UTF_8))) {
            return status(401, "Unauthorized", "Unauthorized", null);
        }
        if (request.getBody() != null && request.getBody().size() > MAX_REQUEST_BYTES) {
            return status(413, "RequestEntityTooLarge", "Request entity too large: limit is " + MAX_REQUEST_BYTES, null);
        }
        if ("POST".equals(request.getMethod()) && request.getPath() != null
                && request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
            return ownRules(request);
        }
        return super.dispatch(request);
    }

    /**
     * What a real server answers a client asking what it may do (the operator SDK asks before leader election). The
     * token is this server's one credential and it may do everything, as a cluster admin's would; the review is
     * answered, not stored.
     */
    private static MockResponse ownRules(RecordedRequest request) {
        String namespace = "";
        try {
            com.fasterxml.jackson.databind.JsonNode body = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper()
                    .readTree(request.getBody().readUtf8());
            namespace = body.path("spec").path("namespace").asText("");
        } catch (java.io.IOException | RuntimeException e) {
            // an unreadable review gets the rules for no namespace
        }
        return new MockResponse().setResponseCode(201).setBody("{\"kind\":\"SelfSubjectRulesReview\","
                + "\"apiVersion\":\"authorization.k8s.io/v1\",\"metadata\":{},\"spec\":{\"namespace\":\""
                + namespace.replaceAll("[^a-z0-9-]", "") + "\"},\"status\":{\"resourceRules\":[{\"verbs\":[\"*\"],"
                + "\"apiGroups\":[\"*\"],\"resources\":[\"*\"]}],\"nonResourceRules\":[{\"verbs\":[\"*\"],"
                + "\"nonResourceURLs\":[\"*\"]}],\"incomplete\":false}}");
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        return writing(request, super::handleCreate);
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        return writing(request, super::handleUpdate);
    }

    /**
     * The mock applies a JSON Patch that does not fit the stored object (a "replace" of a field another writer has
     * removed) by throwing inside its event loop, so the client would wait for its whole request timeout. A real API
     * server answers 422 at once; so does this, and the controller retries on a fresh copy.
     */
    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        return writing(request, r -> {
            try {
                return super.handlePatch(r);
            } catch (Refused e) {
                throw e;
            } catch (RuntimeException e) {
                return status(422, "Invalid", String.valueOf(e.getMessage()).replace("\n", " "), null);
            }
        });
    }

    private MockResponse writing(RecordedRequest request, Function<RecordedRequest, MockResponse> handler) {
        Write w = new Write();
        write.set(w);
        try {
            MockResponse response = handler.apply(request);
            if (response.code() / 100 == 2 && w.stored != null) {
                // the client gets what was stored (defaulted and pruned), not what it sent
                response.setBody(w.stored);
            }
            for (String warning : w.warnings) {
                response.addHeader("Warning", "299 - \"" + warning.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
            }
            return response;
        } catch (Refused e) {
            return e.response;
        } finally {
            write.remove();
        }
    }

    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
            GenericKubernetesResource resource, String newState) {
        Write w = write.get();
        if (newState != null && w != null) {
            newState = admit(path, newState, w);
            w.stored = newState;
        }
        indexLock.writeLock().lock();
        try {
            super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
            if (oldAttributes != null) {
                index.remove(oldAttributes);
            }
            if (newState != null) {
                index.put(storedAttributes(pathAttributes, resource, newState));
            }
        } finally {
            indexLock.writeLock().unlock();
        }
        if (path.startsWith("/apis/apiextensions.k8s.io/") && path.contains("/customresourcedefinitions")) {
            learnCrd(newState);
        }
    }

    /** The attributes the mock stores {@code newState} under: computed as its processEvent computes them. */
    private AttributeSet storedAttributes(AttributeSet pathAttributes, GenericKubernetesResource resource, String newState) {
        KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) getAttributeExtractor();
        AttributeSet attributes = resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
        return attributes.containsKey(KubernetesAttributesExtractor.PLURAL) ? attributes : AttributeSet.merge(pathAttributes, attributes);
    }

    /**
     * One object by its key from the index (see {@link StoreIndex}); a search over the whole store only for what the
     * index does not answer. Called by the mock's create, update and patch handlers and by GET below.
     */
    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
        indexLock.readLock().lock();
        try {
            AttributeSet stored = index.find(attributes);
            if (stored == null) {
                return null;
            }
            String state = getMap().get(stored);
            if (state != null) {
                return Map.entry(stored, state);
            }
        } catch (StoreIndex.NotIndexed e) {
            // searched below
        } finally {
            indexLock.readLock().unlock();
        }
        return super.findResource(attributes);
    }

    @Override
    public void reset() {
        indexLock.writeLock().lock();
        try {
            super.reset();
            index.clear();
        } finally {
            indexLock.writeLock().unlock();
        }
    }

    /**
     * A GET of one object by name, or of one namespace's objects of one resource (with at most a label selector), is
     * answered from the index as the mock would answer it; watches and other queries go to the mock.
     */
    @Override
    public MockResponse handleGet(String path) {
        int q = path.indexOf('?');
        if (q < 0 || LABEL_SELECTOR_ONLY.matcher(path.substring(q + 1)).matches()) {
            AttributeSet query = getKey(path);
            if (q < 0 && query.containsKey(KubernetesAttributesExtractor.NAME)) {
                Map.Entry<AttributeSet, String> found = findResource(query);
                return found == null ? new MockResponse().setResponseCode(404)
                        : new MockResponse().setResponseCode(200).setBody(found.getValue());
            }
            List<String> items = listed(query);
            if (items != null) {
                return new MockResponse().setResponseCode(200)
                        .setBody(((KubernetesResponseComposer) getResponseComposer()).compose(items, String.valueOf(resourceVersion.get())));
            }
        }
        return super.handleGet(path);
    }

    /** The stored states {@code query} lists, from the index; null when the index does not answer it. */
    private List<String> listed(AttributeSet query) {
        indexLock.readLock().lock();
        try {
            List<String> items = new ArrayList<>();
            for (AttributeSet stored : index.list(query)) {
                String state = getMap().get(stored);
                if (state == null) {
                    return null;
                }
                items.add(state);
            }
            return items;
        } catch (StoreIndex.NotIndexed e) {
            return null;
        } finally {
            indexLock.readLock().unlock();
        }
    }

    /** Records the newest resource version handed out: a list reports it, as the mock's own lists do. */
    @Override
    public long requestResourceVersion() {
        long version = super.requestResourceVersion();
        resourceVersion.accumulateAndGet(version, Math::max);
        return version;
    }

    /** What the store keeps of {@code state} written at {@code path}, or {@link Refused} as the real server would. */
    private String admit(String path, String state, Write w) {
        Matcher m = CR_PATH.matcher(path);
        Crd crd = m.matches() ? crds.get(m.group(1) + "/" + m.group(2) + "/" + m.group(3)) : null;
        if (crd != null) {
            boolean statusPath = "status".equals(m.group(5));
            ObjectNode object = (ObjectNode) read(state);
            List<FieldError> errors;
            if (statusPath) {
                w.warnings.addAll(crd.validator().prune(object));
                errors = crd.validator().validateProperty(object, "status");
            } else {
                crd.validator().applyDefaults(object);
                w.warnings.addAll(crd.validator().prune(object));
                errors = crd.validator().validate(crd.statusSubresource() ? withoutStatus(object) : object);
            }
            if (!w.warnings.isEmpty()) {
                // fabric8's client ignores Warning headers: without this line a dropped field would go unnoticed
                LOG.warn("{} {}: unknown fields dropped, as a real API server drops them: {}", crd.kind(),
                        object.path("metadata").path("name").asText(), w.warnings);
            }
            w.warnings.replaceAll(field -> "unknown field \"" + field + "\"");
            if (!errors.isEmpty()) {
                throw new Refused(invalid(crd, object.path("metadata").path("name").asText(), errors));
            }
            state = write(object);
        }
        int bytes = state.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_ETCD_CLIENT_SEND_BYTES) {
            throw new Refused(status(500, null, "rpc error: code = ResourceExhausted desc = trying to send message larger than max ("
                    + bytes + " vs. " + MAX_ETCD_CLIENT_SEND_BYTES + ")", null));
        }
        if (bytes > MAX_STORED_BYTES) {
            throw new Refused(status(500, null, "etcdserver: request is too large", null));
        }
        return state;
    }

    /**
     * Stores a v1 CRD (JSON) as a POST of it would, with the same metadata (uid, creation time, resource version,
     * generation 1) and the same effect on later requests (its resources served, status subresource included), but
     * without the mock's own CRD bookkeeping, which reads every stored CRD into fabric8's typed model: building
     * Jackson's deserializers for the schema classes was the largest part of the control plane's start (≈0.3–0.9 s of
     * `nfvlab run`). Only for the server's own CRDs at its start, before any client watches CRDs: no watch event is
     * sent for it.
     *
     * <p>
     * The CRD is stored and registered under this dispatcher's monitor, the lock the in-process transport serves each
     * request under: the mock's registry of custom resources is a plain map that every request reads, and the agent's
     * first requests arrive while the CLI installs the CRDs (under load, a request that read the registry as it grew
     * failed with a ConcurrentModificationException, or a 500 without a message).
     *
     * @throws IllegalStateException when a CRD of that name is stored already
     */
    void installCrd(String crdJson) {
        ObjectNode crd = (ObjectNode) read(crdJson);
        ObjectNode metadata = crd.get("metadata") instanceof ObjectNode m ? m : crd.putObject("metadata");
        String name = metadata.path("name").asText();
        AttributeSet key = getKey(CRD_PATH).add(new Attribute(KubernetesAttributesExtractor.NAME, name));
        CustomResourceDefinitionContext context = contextOf(crd);
        synchronized (this) {
            if (findResource(key) != null) {
                throw new IllegalStateException("CRD " + name + " is installed already");
            }
            metadata.put("uid", UUID.randomUUID().toString())
                    .put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                    .put("resourceVersion", String.valueOf(requestResourceVersion()))
                    .put("generation", 1);
            crd.remove("status");
            String state = write(crd);
            // from a generic resource, as every other write: from the text alone the mock reads the CRD into fabric8's
            // typed model, building Jackson's deserializers for its whole schema type (≈20 ms of `nfvlab run`'s start).
            // Its head only: the attributes are the kind, name, namespace and labels, and the schemas made into maps
            // cost ≈10 ms of CPU at each start
            ObjectNode head = json.createObjectNode();
            head.set("apiVersion", crd.get("apiVersion"));
            head.set("kind", crd.get("kind"));
            head.set("metadata", metadata);
            AttributeSet stored = storedAttributes(key, ModelJson.mapper().convertValue(head, GenericKubernetesResource.class), state);
            indexLock.writeLock().lock();
            try {
                getMap().put(stored, state);
                index.put(stored);
            } finally {
                indexLock.writeLock().unlock();
            }
            expectCustomResource(context);
            learnCrd(crd);
        }
    }

    /** What fabric8's CustomResourceDefinitionContext.fromCrd reads from a v1 CRD, read from its JSON instead. */
    private static CustomResourceDefinitionContext contextOf(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        List<String> versions = new ArrayList<>();
        spec.path("versions").forEach(v -> versions.add(v.path("name").asText()));
        String version = KubernetesVersionPriority.highestPriority(versions);
        boolean status = false;
        for (JsonNode v : spec.path("versions")) {
            status |= version.equals(v.path("name").asText()) && v.path("subresources").has("status");
        }
        return new CustomResourceDefinitionContext.Builder()
                .withGroup(spec.path("group").asText())
                .withVersion(version)
                .withScope(spec.path("scope").asText())
                .withName(crd.path("metadata").path("name").asText())
                .withPlural(spec.path("names").path("plural").asText())
                .withKind(spec.path("names").path("kind").asText())
                .withStatusSubresource(status)
                .build();
    }

    /** The status subresource is preserved from the stored object on a main-resource write: not validated again. */
    private ObjectNode withoutStatus(ObjectNode object) {
        ObjectNode shallow = json.createObjectNode();
        object.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("status")) {
                shallow.set(f.getKey(), f.getValue());
            }
        });
        return shallow;
    }

    private void learnCrd(String state) {
        if (state != null) {
            learnCrd(read(state));
        }
    }

    /** {@code crd} must not change afterwards: its schema is compiled on another thread. */
    private void learnCrd(JsonNode crd) {
        String group = crd.path("spec").path("group").asText();
        String plural = crd.path("spec").path("names").path("plural").asText();
        String kind = crd.path("spec").path("names").path("kind").asText();
        for (JsonNode version : crd.path("spec").path("versions")) {
            String name = version.path("name").asText();
            if (version.path("schema").has("openAPIV3Schema")) {
                crds.put(group + "/" + name + "/" + plural, new Crd(kind, group,
                        CompletableFuture.supplyAsync(() -> CrdSchemaValidator.of(crd, name), COMPILER_THREADS),
                        version.path("subresources").has("status")));
            }
        }
    }

    /**
     * As the real server words it: {@code VirtualTopology.nfvlab.io "x" is invalid: spec.links[0].a: Invalid value:
     * ...}, several errors in brackets, one cause per error with its reason, message and field.
     */
    private MockResponse invalid(Crd crd, String name, List<FieldError> errors) {
        String all = errors.size() == 1 ? errors.get(0).toString()
                : "[" + String.join(", ", errors.stream().map(FieldError::toString).toList()) + "]";
        ObjectNode details = json.createObjectNode().put("name", name).put("group", crd.group()).put("kind", crd.kind());
        ArrayNode causes = details.putArray("causes");
        for (FieldError e : errors) {
            causes.addObject().put("reason", e.reason()).put("message", e.message()).put("field", e.field());
        }
        return status(422, "Invalid", crd.kind() + "." + crd.group() + " \"" + name + "\" is invalid: " + all, details);
    }

    /** A metav1.Status answer; {@code reason} null for the errors the real server passes on without one. */
    private MockResponse status(int code, String reason, String message, ObjectNode details) {
        ObjectNode status = json.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure").put("message", message);
        if (reason != null) {
            status.put("reason", reason);
        }
        if (details != null) {
            status.set("details", details);
        }
        status.put("code", code);
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(write(status));
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
