package io.nfvlab.api.expansion.builtins;

import java.util.List;

/**
 * Mininet's SingleSwitchTopo(k=2): k hosts on s1; k links. Reversed, Mininet's SingleSwitchReversedTopo: the same,
 * but host h sits on switch port k-h+1.
 */
final class SingleSwitchTopo implements BuiltinTopo {
    private final boolean reversed;

    SingleSwitchTopo(boolean reversed) {
        this.reversed = reversed;
    }

    @Override
    public String name() {
        return reversed ? "reversed" : "single";
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
            if (reversed) {
                b.linkOnPorts("h" + h, 0, "s1", k - h + 1);
            } else {
                b.link("h" + h, "s1");
            }
        }
    }
}
