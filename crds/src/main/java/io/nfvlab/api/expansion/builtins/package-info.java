/**
 * Mininet's built-in topologies, one class per {@code Topo} class of mininet/topo.py and mininet/topolib.py,
 * registered by name in {@link io.nfvlab.api.expansion.builtins.Builtins}.
 *
 * <p>To add one: write a class implementing {@link io.nfvlab.api.expansion.builtins.BuiltinTopo} here, calling the
 * {@link io.nfvlab.api.expansion.builtins.GraphBuilder} in the order Mininet's class calls addHost/addSwitch/addLink,
 * and list it in {@code Builtins}; add its name to the {@code @Pattern} on BuiltinTopology's {@code type} (a test
 * holds the two together). A parameter that no built-in has yet also needs a field on BuiltinTopology (with
 * {@code @Min}/{@code @Max}, read by the validator for the string form too, and its CEL rule) and its line in
 * {@code BuiltinSpec.given}.
 *
 * <p>This package imports nothing from io.nfvlab.api.expansion, which reads it: expansion stays above.
 */
package io.nfvlab.api.expansion.builtins;
