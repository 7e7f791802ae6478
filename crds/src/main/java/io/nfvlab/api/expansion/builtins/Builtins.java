package io.nfvlab.api.expansion.builtins;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry of built-in topologies by name, read by parsing, expansion and validation alike: a built-in listed
 * here is known everywhere. (The CRD's pattern on {@code type} and the parameter fields of BuiltinTopology are the
 * schema's copy, see the package documentation.)
 */
public final class Builtins {
    private static final Map<String, BuiltinTopo> BY_NAME;

    static {
        Map<String, BuiltinTopo> m = new LinkedHashMap<>();
        for (BuiltinTopo t : new BuiltinTopo[]{new MinimalTopo(), new SingleSwitchTopo(false), new SingleSwitchTopo(true),
                new LinearTopo(), new TreeTopo(), new TorusTopo()}) {
            if (m.put(t.name(), t) != null) {
                throw new IllegalStateException("two built-ins named " + t.name());
            }
        }
        BY_NAME = Collections.unmodifiableMap(m);
    }

    private Builtins() {
    }

    public static Optional<BuiltinTopo> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static Set<String> names() {
        return BY_NAME.keySet();
    }
}
