package io.nfvlab.api.expansion.builtins;

import java.util.List;
import java.util.Optional;

/**
 * One of Mininet's built-in topologies, as one of Mininet's {@code Topo} classes: its name for {@code mn --topo},
 * its constructor's parameters, the sizes it makes and how it builds them. A new built-in is a new implementation
 * registered in {@link Builtins}.
 */
public interface BuiltinTopo {
    /** The name {@code mn --topo} takes, e.g. "linear". */
    String name();

    /** The constructor's parameters in Mininet's positional order, with Mininet's defaults. */
    List<Parameter> parameters();

    /** What the built-in would build, computed without building it, so that absurd sizes are refused first. */
    Size size(Args args);

    /** Why Mininet would refuse these arguments (reported at spec.topology), or empty. */
    default Optional<String> refusal(Args args) {
        return Optional.empty();
    }

    /**
     * Builds the hosts, switches and links in the order Mininet's class calls addHost/addSwitch/addLink: port
     * numbers, and through them interface names, follow from that order.
     */
    void build(GraphBuilder graph, Args args);
}
