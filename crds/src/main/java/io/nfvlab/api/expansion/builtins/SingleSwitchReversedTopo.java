package io.nfvlab.api.expansion.builtins;

import java.util.List;

/** Mininet's SingleSwitchReversedTopo(k=2): as single, but host h sits on switch port k-h+1. */
final class SingleSwitchReversedTopo implements BuiltinTopo {
    @Override
    public String name() {
        return "reversed";
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
            b.linkOnPorts("h" + h, 0, "s1", k - h + 1);
        }
    }
}
