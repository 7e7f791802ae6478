package io.nfvlab.api.expansion.builtins;

import java.util.List;

/** Mininet's LinearTopo(k=2, n=1): k switches in a chain, n hosts each (h<i> when n == 1, else h<j>s<i>). */
final class LinearTopo implements BuiltinTopo {
    @Override
    public String name() {
        return "linear";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter("k", 2), new Parameter("n", 1));
    }

    @Override
    public Size size(Args args) {
        long hosts = Size.mul(args.get("k"), args.get("n"));
        return new Size(hosts, args.get("k"), Size.add(hosts, args.get("k") - 1L));
    }

    @Override
    public void build(GraphBuilder b, Args args) {
        int k = args.get("k");
        int n = args.get("n");
        String last = null;
        for (int i = 1; i <= k; i++) {
            String sw = "s" + i;
            b.builtinSwitch(sw, false);
            for (int j = 1; j <= n; j++) {
                String host = n == 1 ? "h" + i : "h" + j + "s" + i;
                b.host(host);
                b.link(host, sw);
            }
            if (last != null) {
                b.link(sw, last);
            }
            last = sw;
        }
    }
}
