package io.nfvlab.operator.bench;

import io.nfvlab.api.plan.NodeStateShards;
import io.nfvlab.api.plan.Placement;
import io.nfvlab.api.plan.VniAllocator;
import io.nfvlab.api.plan.AgentNode;
import io.nfvlab.api.plan.NodePlanner;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.PlacementSpec;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.topology.VirtualTopologyStatus;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.validation.TopologyValidator;
import io.nfvlab.api.validation.TrafficTestValidator;
import io.nfvlab.api.validation.Violation;
import io.nfvlab.api.plan.AgentNode;
import io.nfvlab.api.plan.NodePlanner;
import io.nfvlab.api.plan.Placement;
import io.nfvlab.operator.topology.StatusAggregator;
import io.nfvlab.api.plan.VniAllocator;
import io.nfvlab.operator.traffic.TrafficPlanner;
import io.nfvlab.api.expansion.TopologyGraph;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The operator's pure pipeline on the largest built-ins, one phase at a time: check (validate, expanding the graph
 * once, as the operator does), place and plan on one node (pack) and on four (spread, so that links cross nodes and get VNIs), fold into a status, and plan a pingall over
 * 100 sampled hosts. Prints milliseconds per phase, wall clock and (in parentheses) this thread's CPU time, which a busy
 * shared machine inflates less; twice per topology (the first run pays for class loading and JIT). Asserts nothing about
 * time. No API server, no agent: this measures the planning code alone.
 * Usage: PlanningScaleBench [topology…] (default: the largest accepted: linear,10000 tree,2,100 torus,100,100). A main class in test
 * scope, so surefire does not run it; from the repository root:
 * <pre>
 * mvn -q -pl crds,operator -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * java -cp operator/target/classes:operator/target/test-classes:$(cat operator/target/cp.txt) \
 *     io.nfvlab.operator.bench.PlanningScaleBench
 * </pre>
 */
public final class PlanningScaleBench {
    private static final List<String> DEFAULT = List.of("linear,10000", "tree,2,100", "torus,100,100");
    private static final List<String> PHASES = List.of("check", "place-pack", "plan-pack", "place-spread4",
            "vnis", "plan-spread4", "split-spread4", "aggregate", "traffic-plan");

    private PlanningScaleBench() {
    }

    public static void main(String[] args) {
        List<String> topologies = args.length > 0 ? List.of(args) : DEFAULT;
        System.out.printf("%-16s %-5s %7s %7s %s%n", "topology", "run", "hosts", "links",
                String.join(" ", PHASES.stream().map(p -> String.format("%13s", p)).toList()) + "     total ms (cpu)");
        for (String topo : topologies) {
            for (int run = 1; run <= 2; run++) {
                Map<String, Long> ms = runOnce(topo);
                StringBuilder row = new StringBuilder(String.format("%-16s %-5s %7d %7d", topo, run == 1 ? "cold" : "warm",
                        ms.get("hosts"), ms.get("links")));
                PHASES.forEach(p -> row.append(String.format(" %13s", ms.get(p) + " (" + ms.get(p + ".cpu") + ")")));
                long wall = PHASES.stream().mapToLong(ms::get).sum();
                long cpu = PHASES.stream().mapToLong(p -> ms.get(p + ".cpu")).sum();
                System.out.println(row.append(String.format(" %18s", wall + " (" + cpu + ")")));
                // the figure: what a reconcile of a new topology on one node costs before it writes anything
                System.out.printf("%-16s %-5s validation + planning on one node (check, place-pack, plan-pack): %d ms wall, "
                        + "%d ms this thread's CPU, %d ms the whole process's CPU (JIT and GC threads too)%n", topo,
                        run == 1 ? "cold" : "warm", ms.get("check") + ms.get("place-pack") + ms.get("plan-pack"),
                        ms.get("check.cpu") + ms.get("place-pack.cpu") + ms.get("plan-pack.cpu"), ms.get("onenode.process-cpu"));
            }
        }
    }

    private static Map<String, Long> runOnce(String topo) {
        Map<String, Long> ms = new TreeMap<>();
        long processCpuStart = processCpuNanos();
        VirtualTopologySpec spec = VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type(topo).build()).build();
        // validation expands the topology and keeps the graph, as the operator's reconciler does (one expansion)
        TopologyValidator.Checked checked = timed(ms, "check", () -> TopologyValidator.check(spec));
        if (!checked.violations().isEmpty()) {
            throw new IllegalStateException(topo + ": " + checked.violations());
        }
        TopologyGraph graph = checked.graph();
        ms.put("hosts", (long) graph.hosts().size());
        ms.put("links", (long) graph.links().size());
        String token = KernelNames.token("VirtualTopology", "bench", "t");
        OwnerRef owner = OwnerRef.builder().kind("VirtualTopology").namespace("bench").name("t").uid("uid-bench")
                .generation(1L).token(token).build();

        List<AgentNode> one = List.of(new AgentNode("node-1", Map.of(), "192.168.0.1"));
        Map<String, String> packed = timed(ms, "place-pack", () -> Placement.place(graph, null, one, Map.of()));
        timed(ms, "plan-pack", () -> NodePlanner.plan(graph, packed, owner, byName(one), Map.of(), NodePlanner.Settings.defaults()));
        ms.put("onenode.process-cpu", (processCpuNanos() - processCpuStart) / 1_000_000);

        List<AgentNode> four = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            four.add(new AgentNode("node-" + i, Map.of(), "192.168.0." + i));
        }
        PlacementSpec spread = PlacementSpec.builder().strategy(PlacementSpec.Strategy.SPREAD).build();
        Map<String, String> placed = timed(ms, "place-spread4", () -> Placement.place(graph, spread, four, Map.of()));
        Map<String, Integer> vnis = timed(ms, "vnis", () -> VniAllocator.allocate(token, NodePlanner.crossNodeLinks(graph, placed),
                Map.of(), Set.of()));
        Map<String, NetworkNodeStateSpec> plan = timed(ms, "plan-spread4",
                () -> NodePlanner.plan(graph, placed, owner, byName(four), vnis, NodePlanner.Settings.defaults()));
        // the publisher's cut into NetworkNodeStates under the budget (the API server's object limit)
        timed(ms, "split-spread4", () -> plan.values().stream().mapToInt(nodeSpec -> NodeStateShards.split(nodeSpec).size()).sum());
        VirtualTopologyStatus status = timed(ms, "aggregate", () -> StatusAggregator.aggregate(1, graph, plan, Map.of(), vnis,
                null, Clock.systemUTC()));

        timed(ms, "traffic-plan", () -> {
            List<TrafficPlanner.HostInfo> hosts = status.getHostAddresses().stream()
                    .map(h -> new TrafficPlanner.HostInfo(h.getName(), h.getNode(), h.getNetns(), h.getIp()))
                    .toList();
            List<String> sample = new ArrayList<>();
            int step = Math.max(1, hosts.size() / 100);
            for (int i = 0; i < hosts.size() && sample.size() < 100; i += step) {
                sample.add(hosts.get(i).name());
            }
            TrafficTestSpec test = TrafficTestSpec.builder().type(TrafficType.PINGALL).hosts(sample).build();
            List<Violation> misfit = TrafficTestValidator.validateAgainst(test, hosts.stream().map(TrafficPlanner.HostInfo::name).toList());
            if (!misfit.isEmpty()) {
                throw new IllegalStateException(misfit.toString());
            }
            Map<String, List<TrafficJob>> jobs = TrafficPlanner.plan("bench", "pingall", test, hosts, "run-1", true);
            return jobs;
        });
        return ms;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Map<String, AgentNode> byName(List<AgentNode> nodes) {
        Map<String, AgentNode> out = new TreeMap<>();
        nodes.forEach(n -> out.put(n.name(), n));
        return out;
    }

    private static <T> T timed(Map<String, Long> ms, String phase, Supplier<T> work) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        T result = work.get();
        ms.put(phase, (System.nanoTime() - start) / 1_000_000);
        ms.put(phase + ".cpu", (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000);
        return result;
    }
}
