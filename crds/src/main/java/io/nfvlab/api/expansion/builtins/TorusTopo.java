package io.nfvlab.api.expansion.builtins;

import java.util.List;
import java.util.Optional;

/** Mininet's TorusTopo(x, y, n=1): an x by y grid of switches with wrap-around links, n hosts each; loops need STP. */
final class TorusTopo implements BuiltinTopo {
    @Override
    public String name() {
        return "torus";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(new Parameter("x", 3), new Parameter("y", 3), new Parameter("n", 1));
    }

    @Override
    public Size size(Args args) {
        long switches = Size.mul(args.get("x"), args.get("y"));
        long hosts = Size.mul(switches, args.get("n"));
        return new Size(hosts, switches, Size.add(hosts, Size.mul(2, switches)));
    }

    @Override
    public Optional<String> refusal(Args args) {
        int x = args.get("x");
        int y = args.get("y");
        if (x < 3 || y < 3) {
            return Optional.of("a torus needs x and y of at least 3 (got " + x + "x" + y
                    + "): smaller tori would link the same switches twice, as Mininet refuses too");
        }
        return Optional.empty();
    }

    @Override
    public void build(GraphBuilder b, Args args) {
        int x = args.get("x");
        int y = args.get("y");
        int n = args.get("n");
        String[][] switches = new String[x][y];
        for (int i = 0; i < x; i++) {
            for (int j = 0; j < y; j++) {
                String loc = (i + 1) + "x" + (j + 1);
                switches[i][j] = "s" + loc;
                b.builtinSwitch(switches[i][j], true);
                for (int k = 0; k < n; k++) {
                    String host = n == 1 ? "h" + loc : "h" + loc + "x" + (k + 1);
                    b.host(host);
                    b.link(host, switches[i][j]);
                }
            }
        }
        for (int i = 0; i < x; i++) {
            for (int j = 0; j < y; j++) {
                b.link(switches[i][j], switches[i][(j + 1) % y]);
                b.link(switches[i][j], switches[(i + 1) % x][j]);
            }
        }
    }
}
