package io.nfvlab.operator.nodestate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Allocates owners' kernel-name tokens so that no two owners ever hold the same one. A token is held by a record: the
 * ConfigMap {@code nfvlab-token-<token>} in the system namespace, naming its owner (kind, namespace, name, uid). The
 * API server creates an object of a given name at most once, so of two owners creating the same token's record at
 * the same moment one gets 201 and the other 409 Conflict and moves on to its next candidate
 * ({@link KernelNames#tokenCandidates}). Hashing alone cannot do this within IFNAMSIZ: 5 hex digits (20 bits) collide
 * between two of 200 owners with odds of 2 %, and a name hashing onto another owner's token is found in a fraction of
 * a second; with allocation such a name only moves its own owner to its next candidate.
 *
 * <p>An owner keeps its token for life: the token its published NetworkNodeStates carry is claimed again (its
 * record still names the owner, or is re-created if it was lost), and a record found by the owner's uid covers an
 * allocation whose states were never published. The record is deleted ({@link #release}) only after the agents have
 * torn down what the token named; a record whose owner is gone without that (its finalizer removed by hand) is
 * reclaimed by the next owner that needs the token, once no NetworkNodeState carries it.
 */
public final class OwnerTokens {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerTokens.class);
    public static final String RECORD_PREFIX = "nfvlab-token-";
    /** Label on a token record: the uid of the owner holding it. */
    public static final String OWNER_UID_LABEL = Nfvlab.GROUP + "/token-owner-uid";
    /** Label on every token record (its value is the token), so they can be listed apart from other ConfigMaps. */
    public static final String TOKEN_LABEL = Nfvlab.GROUP + "/token";
    /** Reason of the Ready=False condition of an owner all of whose candidates are held by others. */
    public static final String REASON_NO_FREE_TOKEN = "NoFreeToken";

    /** Every candidate of an owner is held by another owner (odds 10^-32 with 100,000 owners). */
    public static final class NoFreeToken extends RuntimeException {
        NoFreeToken(String message) {
            super(message);
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    /** Tokens this operator allocated or confirmed, by owner key: a reconcile after the first makes no API call. */
    private final Map<String, String> known = new ConcurrentHashMap<>();

    public OwnerTokens(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /**
     * The token of {@code owner} (of {@code kind}): the one it holds, or a newly allocated one.
     *
     * @param published the token the owner's published states carry, or null
     * @throws NoFreeToken when every candidate is held by another owner
     */
    public String tokenOf(String kind, HasMetadata owner, String published) {
        String key = key(kind, owner);
        String token = known.get(key);
        if (token != null) {
            return token;
        }
        String ns = owner.getMetadata().getNamespace();
        String name = owner.getMetadata().getName();
        List<String> candidates = KernelNames.tokenCandidates(kind, ns, name);
        if (published != null && candidates.contains(published) && claim(published, kind, owner)) {
            token = published;
        } else {
            token = recordOf(kind, owner, candidates);
            for (int i = 0; token == null && i < candidates.size(); i++) {
                if (claim(candidates.get(i), kind, owner)) {
                    token = candidates.get(i);
                    if (i > 0) {
                        LOG.info("{} {}: token {} is held by another owner; allocated {} (candidate {})", kind,
                                display(owner), candidates.get(0), token, i);
                    }
                }
            }
        }
        if (token == null) {
            throw new NoFreeToken("metadata.name: every kernel-name token of " + kind + " " + display(owner)
                    + " is held by another owner (" + candidates.size() + " candidates); rename it");
        }
        known.put(key, token);
        return token;
    }

    /** Deletes the records {@code owner} holds; call once the agents have torn down what its token named. */
    public void release(String kind, HasMetadata owner) {
        String token = known.remove(key(kind, owner));
        String uid = owner.getMetadata().getUid();
        var records = client.configMaps().inNamespace(namespace);
        if (uid != null) {
            for (ConfigMap record : records.withLabel(OWNER_UID_LABEL, uid).list().getItems()) {
                records.resource(record).delete();
            }
        } else if (token != null) {
            ConfigMap record = records.withName(RECORD_PREFIX + token).get();
            if (record != null && holds(record, kind, owner)) {
                records.resource(record).delete();
            }
        }
    }

    /**
     * Creates the record of {@code token} for {@code owner}: true when it now holds the token (created, or already
     * its own), false when another owner does.
     */
    private boolean claim(String token, String kind, HasMetadata owner) {
        var records = client.configMaps().inNamespace(namespace);
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                records.resource(record(token, kind, owner)).create();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
            }
            ConfigMap existing = records.withName(RECORD_PREFIX + token).get();
            if (existing != null && holds(existing, kind, owner)) {
                return true;
            }
            if (existing != null && !(abandoned(existing, token) && reclaim(existing))) {
                return false;
            }
            // released (or reclaimed) between the create and the read: try to create it again
        }
        return false;
    }

    /**
     * Whether a record outlived its owner: the owner it names is gone (or is another object of that name now) and no
     * NetworkNodeState of it carries the token any more. Only a finalizer removed by hand leaves such a record; the
     * operator itself releases a token after the teardown.
     */
    private boolean abandoned(ConfigMap record, String token) {
        Map<String, String> data = record.getData() == null ? Map.of() : record.getData();
        String kind = data.get("kind");
        String ns = data.getOrDefault("namespace", "");
        String name = data.get("name");
        if (kind == null || name == null) {
            return false;
        }
        var resources = client.genericKubernetesResources(Nfvlab.GROUP + "/" + Nfvlab.VERSION, kind);
        HasMetadata holder = ns.isEmpty() ? resources.withName(name).get() : resources.inNamespace(ns).withName(name).get();
        if (holder != null && Objects.equals(holder.getMetadata().getUid(), data.get("uid"))) {
            return false;
        }
        var states = client.resources(NetworkNodeState.class)
                .withLabel(Nfvlab.OWNER_KIND_LABEL, kind)
                .withLabel(Nfvlab.OWNER_NAME_LABEL, name);
        if (!ns.isEmpty()) {
            states = states.withLabel(Nfvlab.OWNER_NAMESPACE_LABEL, ns);
        }
        return states.list().getItems().stream().noneMatch(s -> s.getSpec() != null && s.getSpec().getOwner() != null
                && token.equals(s.getSpec().getOwner().getToken()));
    }

    /** Deletes an abandoned record, only as it was read (another operator may have reclaimed it meanwhile). */
    private boolean reclaim(ConfigMap record) {
        try {
            client.configMaps().inNamespace(namespace).resource(record).lockResourceVersion(record.getMetadata().getResourceVersion()).delete();
            LOG.info("token record {} named {} {}, which is gone: reclaimed", record.getMetadata().getName(),
                    record.getData().get("kind"), record.getData().get("name"));
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return true; // changed or gone since: the create decides
            }
            throw e;
        }
    }

    /** A token whose record names this owner (an allocation whose states were never published), or null. */
    private String recordOf(String kind, HasMetadata owner, List<String> candidates) {
        String uid = owner.getMetadata().getUid();
        if (uid == null) {
            return null;
        }
        return client.configMaps().inNamespace(namespace).withLabel(OWNER_UID_LABEL, uid).list().getItems().stream()
                .filter(r -> holds(r, kind, owner))
                .map(r -> r.getMetadata().getName().substring(RECORD_PREFIX.length()))
                .filter(candidates::contains)
                .findFirst().orElse(null);
    }

    private ConfigMap record(String token, String kind, HasMetadata owner) {
        var meta = owner.getMetadata();
        var builder = new ConfigMapBuilder().withNewMetadata()
                .withName(RECORD_PREFIX + token)
                .withNamespace(namespace)
                .addToLabels(TOKEN_LABEL, token)
                .addToLabels("app.kubernetes.io/managed-by", "nfvlab-operator");
        if (meta.getUid() != null) {
            builder.addToLabels(OWNER_UID_LABEL, meta.getUid());
        }
        return builder.endMetadata()
                .addToData("kind", kind)
                .addToData("namespace", meta.getNamespace() == null ? "" : meta.getNamespace())
                .addToData("name", meta.getName())
                .addToData("uid", meta.getUid() == null ? "" : meta.getUid())
                .build();
    }

    /** Whether a record names this owner: same kind, namespace and name, and the same uid when both know one. */
    private static boolean holds(ConfigMap record, String kind, HasMetadata owner) {
        Map<String, String> data = record.getData() == null ? Map.of() : record.getData();
        var meta = owner.getMetadata();
        String uid = data.getOrDefault("uid", "");
        return kind.equals(data.get("kind"))
                && Objects.equals(meta.getNamespace() == null ? "" : meta.getNamespace(), data.get("namespace"))
                && meta.getName().equals(data.get("name"))
                && (uid.isEmpty() || meta.getUid() == null || uid.equals(meta.getUid()));
    }

    private static String key(String kind, HasMetadata owner) {
        var meta = owner.getMetadata();
        return kind + "/" + meta.getNamespace() + "/" + meta.getName() + "/" + meta.getUid();
    }

    private static String display(HasMetadata owner) {
        var meta = owner.getMetadata();
        return meta.getNamespace() == null ? meta.getName() : meta.getNamespace() + "/" + meta.getName();
    }
}
