package io.nfvlab.api.expansion.builtins;

import java.util.List;

/** Mininet's MinimalTopo: h1, h2 on s1. */
final class MinimalTopo implements BuiltinTopo {
    @Override
    public String name() {
        return "minimal";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public Size size(Args args) {
        return new Size(2, 1, 2);
    }

    @Override
    public void build(GraphBuilder b, Args args) {
        b.host("h1");
        b.host("h2");
        b.builtinSwitch("s1", false);
        b.link("h1", "s1");
        b.link("h2", "s1");
    }
}
