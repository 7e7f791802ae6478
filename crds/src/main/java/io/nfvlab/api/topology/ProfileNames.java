package io.nfvlab.api.topology;

import io.nfvlab.api.common.ModelJson;

import java.util.List;

/** What links, link defaults and link overrides share about the LinkProfiles they name. */
public final class ProfileNames {
    /** Profiles one link (or the defaults, or one override) may name. */
    public static final int MAX_PROFILES = 8;
    /** Distinct profiles one topology may name: its status lists each with its values, so this bounds the status. */
    public static final int MAX_PER_TOPOLOGY = 32;
    /** A cluster-scoped object's name: a DNS subdomain (RFC 1123), as Kubernetes checks metadata.name. */
    public static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    public static final int MAX_NAME = 253;
    /** Written in every profiles field's description, and in the README. */
    public static final String PRECEDENCE = "lowest first: linkDefaults.profiles < linkDefaults values < a link's profiles "
            + "< the link's own values < linkOverrides profiles < linkOverrides values.";
    /**
     * A JSON merge patch onto the schema of a class with a {@code profiles} property: the generator cannot put a
     * pattern or a length on a list's items, and a CEL rule over unbounded strings would cost more than the API server
     * allows on 20000 links.
     */
    public static final String SCHEMA_PATCH = "{\"properties\": {\"profiles\": {\"items\": {\"maxLength\": 253, "
            + "\"pattern\": \"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$\"}}}}";

    private ProfileNames() {
    }

    public static List<String> orEmpty(List<String> names) {
        return names == null ? List.of() : names;
    }

    /** Copies every link parameter into a subclass of {@link LinkParams}, whatever parameters LinkParams has. */
    static <T extends LinkParams> T convert(LinkParams params, Class<T> type) {
        return ModelJson.mapper().convertValue(LinkParams.copyParams(params), type);
    }
}
