package io.nfvlab.cli.commands;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.cli.Errors;
import io.nfvlab.cli.Render;
import io.nfvlab.cli.Session;
import io.nfvlab.cli.SessionCommand;
import io.nfvlab.cli.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "status", description = "Show the topologies and traffic tests of the namespace, the DPDK bridges and "
        + "what each node's agent reports.")
public class StatusCommand extends SessionCommand {
    @Mixin
    OutputOption output;

    @Override
    protected int run(Session session) {
        KubernetesClient client = session.getClient();
        String ns = session.getNamespace();
        List<VirtualTopology> topologies = client.resources(VirtualTopology.class).inNamespace(ns).list().getItems();
        List<TrafficTest> tests = client.resources(TrafficTest.class).inNamespace(ns).list().getItems();
        List<DpdkBridge> bridges = client.resources(DpdkBridge.class).list().getItems();
        List<NetworkNodeState> states = client.resources(NetworkNodeState.class).list().getItems();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("topologies", topologies);
        data.put("trafficTests", tests);
        data.put("dpdkBridges", bridges);
        data.put("nodeStates", states);
        Render.print(session.getOut(), output.format, data, () -> text(topologies, tests, bridges, states));
        return 0;
    }

    static String text(List<VirtualTopology> topologies, List<TrafficTest> tests, List<DpdkBridge> bridges,
                       List<NetworkNodeState> states) {
        StringBuilder sb = new StringBuilder();
        Table t = new Table("TOPOLOGY", "READY", "HOSTS", "LINKS", "MESSAGE");
        for (VirtualTopology v : topologies) {
            var s = v.getStatus();
            Condition ready = s == null ? null : Conditions.find(s.getConditions(), Conditions.READY).orElse(null);
            t.row(v.getMetadata().getName(), ready == null ? "Unknown" : ready.getStatus(),
                    s == null ? "" : s.getHosts(), s == null ? "" : s.getLinks(),
                    ready == null || Conditions.TRUE.equals(ready.getStatus()) ? "" : Errors.flatten(ready.getMessage()));
        }
        sb.append(t.isEmpty() ? "no topologies\n" : t.render());
        if (!tests.isEmpty()) {
            Table tt = new Table("TRAFFIC TEST", "TYPE", "PHASE", "RESULT");
            for (TrafficTest x : tests) {
                var s = x.getStatus();
                tt.row(x.getMetadata().getName(), x.getSpec() == null ? "" : x.getSpec().getType(),
                        s == null ? "" : s.getPhase(), s == null ? "" : s.getSummary() != null ? s.getSummary() : s.getMessage());
            }
            sb.append('\n').append(tt.render());
        }
        if (!bridges.isEmpty()) {
            Table bt = new Table("DPDK BRIDGE", "READY");
            for (DpdkBridge b : bridges) {
                var s = b.getStatus();
                bt.row(b.getMetadata().getName(), s == null ? "Unknown"
                        : Conditions.find(s.getConditions(), Conditions.READY).map(Condition::getStatus).orElse("Unknown"));
            }
            sb.append('\n').append(bt.render());
        }
        if (!states.isEmpty()) {
            Table nt = new Table("NODE", "OWNER", "SYNCED", "GENERATION", "ERRORS");
            for (NetworkNodeState n : states) {
                var s = n.getStatus();
                var owner = n.getSpec() == null ? null : n.getSpec().getOwner();
                nt.row(n.getSpec() == null ? "" : n.getSpec().getNodeName(),
                        owner == null ? "" : owner.getKind() + "/" + owner.getName(),
                        s == null ? "Unknown" : Conditions.find(s.getConditions(), Conditions.SYNCED).map(Condition::getStatus).orElse("Unknown"),
                        (s == null || s.getObservedGeneration() == null ? "-" : s.getObservedGeneration()) + "/" + n.getMetadata().getGeneration(),
                        s == null || s.getErrors() == null ? 0 : s.getErrors().size());
            }
            sb.append('\n').append(nt.render());
        }
        return sb.toString();
    }
}
