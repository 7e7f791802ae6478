package io.nfvlab.api.expansion.builtins;

/** A parameter of a built-in's constructor and the default Mininet gives it. */
public record Parameter(String name, int defaultValue) {
}
