package io.nfvlab.api.expansion.builtins;

import java.util.List;

/** Mininet's SingleSwitchTopo(k=2): k hosts on s1; k links. */
final class SingleSwitchTopo implements BuiltinTopo {
    @Override
    public String name() {
        return "single";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter("k", 2));
    }

    @Override
    public Size size(Args args) {
        int k = args.get("k");
        return new Size(k, 1, k);
    }

    @Override
    public void build(GraphBuilder b, Args args) {
        int k = args.get("k");
        b.builtinSwitch("s1", false);
        for (int h = 1; h <= k; h++) {
            b.host("h" + h);
            b.link("h" + h, "s1");
        }
    }
}
