package io.nfvlab.api.expansion.builtins;

import java.util.Map;

/** The arguments of one built-in: those given, and the built-in's defaults for the others. */
public final class Args {
    private final BuiltinTopo topo;
    private final Map<String, Integer> given;

    public Args(BuiltinTopo topo, Map<String, Integer> given) {
        this.topo = topo;
        this.given = given;
    }

    public int get(String name) {
        Integer value = given.get(name);
        if (value != null) {
            return value;
        }
        for (Parameter p : topo.parameters()) {
            if (p.name().equals(name)) {
                return p.defaultValue();
            }
        }
        // a built-in's own code asks only for the parameters it declares
        throw new IllegalArgumentException(topo.name() + " declares no parameter " + name);
    }
}
