package io.nfvlab.api.expansion.builtins;

import java.util.List;

/** Mininet's TreeTopo(depth=1, fanout=2): depth-first, switches and hosts numbered in creation order. */
final class TreeTopo implements BuiltinTopo {
    @Override
    public String name() {
        return "tree";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter("depth", 1), new Parameter("fanout", 2));
    }

    @Override
    public Size size(Args args) {
        long hosts = 1;
        long switches = 0;
        for (int i = 0; i < args.get("depth"); i++) {
            switches = Size.add(switches, hosts);
            hosts = Size.mul(hosts, args.get("fanout"));
        }
        return new Size(hosts, switches, Size.add(hosts, switches) - 1);
    }

    @Override
    public void build(GraphBuilder b, Args args) {
        int[] counters = {1, 1};
        addTree(b, args.get("depth"), args.get("fanout"), counters);
    }

    private static String addTree(GraphBuilder b, int depth, int fanout, int[] counters) {
        if (depth > 0) {
            String sw = "s" + counters[1]++;
            b.builtinSwitch(sw, false);
            for (int i = 0; i < fanout; i++) {
                String child = addTree(b, depth - 1, fanout, counters);
                b.link(sw, child);
            }
            return sw;
        }
        String host = "h" + counters[0]++;
        b.host(host);
        return host;
    }
}
