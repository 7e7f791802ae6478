package io.nfvlab.cli.run;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.common.ObjectRef;
import io.nfvlab.api.profile.LinkProfile;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.kinds.TrafficKind;
import io.nfvlab.api.traffic.kinds.TrafficKinds;
import io.nfvlab.api.validation.TopologyValidator;
import io.nfvlab.api.validation.Violation;
import io.nfvlab.cli.ResourceApplier;
import io.nfvlab.cli.BridgeWait;
import io.nfvlab.cli.CliException;
import io.nfvlab.cli.ExitCodes;
import io.nfvlab.cli.HostInfo;
import io.nfvlab.cli.prompt.Prompt;
import io.nfvlab.cli.ResourceFiles;
import io.nfvlab.cli.Session;
import io.nfvlab.cli.TopologyWait;
import io.nfvlab.cli.TrafficRunner;
import io.nfvlab.cli.TopologyView;
import io.nfvlab.cli.traffic.TrafficPrinter;
import io.nfvlab.api.expansion.TopologyExpander;
import io.nfvlab.api.expansion.TopologyGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "run", sortOptions = false,
        description = {"Bring a network up on this machine, as `sudo mn` does: an embedded API server, the operator and an "
                + "agent for this node in this process; apply FILEs (topologies, DPDK bridges, traffic tests, link profiles) or --topo; "
                + "run the traffic tests; tear everything down (or, with --keep, stay at an nfvlab> prompt until exit).",
                "Needs root. Nothing stays in the kernel or in OVS afterwards, on every exit path (errors and Ctrl-C too)."})
public class RunCommand implements Callable<Integer> {
    /** What --test completes to. */
    static final class TestNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            List<String> names = new ArrayList<>(MN_TESTS.stream().map(TrafficType::wireName).toList());
            names.addAll(List.of("all", "none"));
            return names.iterator();
        }
    }

    /** --test all: pingall then iperf, as Mininet. */
    private static final List<TrafficType> ALL_TESTS = List.of(TrafficType.PINGALL, TrafficType.IPERF);
    /** The types --test takes, as `mn --test`: those that need nothing but a topology and are Mininet's own. */
    private static final List<TrafficType> MN_TESTS = List.of(TrafficType.PINGALL, TrafficType.PINGPAIR, TrafficType.IPERF,
            TrafficType.IPERFUDP);

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "YAML files with VirtualTopology, DpdkBridge, TrafficTest and LinkProfile resources.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--topo", paramLabel = "TOPO", description = "A Mininet built-in: minimal, single,N, linear,K[,N], reversed,N, tree,depth=D,fanout=F, torus,X,Y.")
    String topo;

    @Option(names = "--switch", paramLabel = "KIND", description = "Switch kind of --topo: linux-bridge (default; also lxbr) or ovs (userspace datapath; also ovsk, user).")
    String switchKind;

    @Option(names = "--link", paramLabel = "LINK", description = "Link parameters of --topo, as Mininet: default or tc,bw=10,delay=5ms,jitter=1ms,loss=1,max_queue_size=100 "
            + "(also netem's corrupt, duplicate, reorder, gap, loss_correlation, distribution).")
    String link;

    @Option(names = "--test", split = ",", paramLabel = "TEST", completionCandidates = TestNames.class, description = "Tests to run on the topology: pingall, pingpair, iperf, iperfudp, all (pingall and iperf) or none.")
    List<String> tests = new ArrayList<>();

    @Option(names = "--keep", description = "Stay up with an nfvlab> prompt (Mininet's commands) until exit, Ctrl-D or Ctrl-C.")
    boolean keep;

    @Option(names = "--name", paramLabel = "NAME", description = "Name of the --topo topology (default from TOPO, e.g. linear-4).")
    String name;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default", paramLabel = "NS", description = "Namespace of the resources (default default).")
    String namespace;

    @Option(names = "--mac", description = "Host MACs from host numbers, as `mn --mac`.")
    boolean autoMac;

    @Option(names = "--arp", description = "Static ARP entries in every host, as `mn --arp`.")
    boolean staticArp;

    @Option(names = "--timeout", defaultValue = "180", paramLabel = "SECONDS", description = "How long a topology may take to come up (default 180).")
    int timeoutSeconds;

    @Option(names = "--cni-socket", paramLabel = "PATH", defaultValue = "/var/run/nfvlab/cni.sock",
            description = "With --keep: serve nfvlab-cni on this socket while the run stays up, so containers on this machine "
                    + "(podman with an nfvlab-cni network) attach without an agent daemon; not when another agent serves it; "
                    + "'none': do not serve (default ${DEFAULT-VALUE}).")
    String cniSocket;

    @Option(names = "--timings", description = "Print where the time went (JVM start, API server, operator, agent, topology, tests, teardown) to stderr at the end; also NFVLAB_TIMINGS=1.")
    boolean timingsFlag;

    @Spec
    CommandSpec spec;

    private RunTimings timings = new RunTimings(false);

    private final Object teardownLock = new Object();
    private boolean tornDown;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        timings = new RunTimings(RunTimings.requested(timingsFlag));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (files.isEmpty() && topo == null) {
            throw CliException.usage("give FILEs or --topo (e.g. nfvlab run --topo linear,4)");
        }
        try (ApiServerStart apiServer = ApiServerStart.begin()) {
            return run(started, out, err, apiServer);
        }
    }

    private int run(long started, PrintWriter out, PrintWriter err, ApiServerStart apiServer) throws Exception {
        ResourceFiles loaded = ResourceFiles.load(files);
        List<String> missingProfiles = loaded.profilesMissingFromFiles();
        if (!missingProfiles.isEmpty()) {
            // this run's API server holds nothing but the files: a topology would wait for its profile forever
            throw CliException.usage(missingProfiles.get(0) + (missingProfiles.size() > 1
                    ? " (and " + (missingProfiles.size() - 1) + " more)" : "") + "; give its file too, e.g. examples/profiles/");
        }
        List<VirtualTopology> topologies = new ArrayList<>(loaded.topologies());
        SwitchKind kind = switchKind == null ? null : parseSwitch(switchKind);
        if (topo != null) {
            topologies.add(builtin());
        }
        if (kind != null) {
            topologies.stream().filter(t -> t.getSpec().getSwitchKind() == null).forEach(t -> t.getSpec().setSwitchKind(kind));
        }
        topologies.forEach(t -> {
            if (t.getMetadata().getNamespace() == null) {
                t.getMetadata().setNamespace(namespace);
            }
            withOperatorFinalizer(t);
        });
        loaded.bridges().forEach(RunCommand::withOperatorFinalizer);
        List<TrafficTest> runTests = testsToRun(loaded.tests(), topologies);
        if (topologies.isEmpty() && loaded.bridges().isEmpty() && runTests.isEmpty()) {
            throw CliException.usage("the files hold nothing to run");
        }
        HostRequirements.check(topologies, !loaded.bridges().isEmpty(), runTests.stream().map(TrafficTest::getSpec).toList());

        List<RunLock.Owner> owners = new ArrayList<>();
        topologies.forEach(t -> owners.add(new RunLock.Owner("VirtualTopology", t.getMetadata().getNamespace(), t.getMetadata().getName())));
        loaded.bridges().forEach(b -> owners.add(new RunLock.Owner("DpdkBridge", null, b.getMetadata().getName())));
        runTests.forEach(t -> owners.add(new RunLock.Owner("TrafficTest", namespace(t), t.getMetadata().getName())));
        RunLock lock = RunLock.acquire(owners);
        try {
            return bringUp(loaded, topologies, runTests, started, out, err, apiServer);
        } finally {
            lock.close();
        }
    }

    private int bringUp(ResourceFiles loaded, List<VirtualTopology> topologies, List<TrafficTest> runTests, long started,
                        PrintWriter out, PrintWriter err, ApiServerStart apiServer) throws Exception {
        String node = HostInfo.nodeName();
        for (DpdkBridge b : loaded.bridges()) {
            out.printf("*** Creating DPDK bridge %s: OVS bridge %s with %d vhost-user ports%n", b.getMetadata().getName(),
                    b.getSpec().getBridgeName(), b.getSpec().getPorts() == null ? 0 : b.getSpec().getPorts().size());
        }
        boolean containerHostsInFiles = false;
        for (VirtualTopology t : topologies) {
            containerHostsInFiles |= announce(out, t, node).hosts().stream().anyMatch(TopologyGraph.Host::isPod);
        }
        RunNeeds needs = new RunNeeds(keep || containerHostsInFiles, keep || !loaded.bridges().isEmpty(),
                keep || !loaded.profiles().isEmpty());
        timings.since("arguments, files, checks, run lock, announce", started);
        out.println("*** Starting the control plane: API server, operator, agent for node " + node);
        out.flush();
        long cpStart = System.nanoTime();
        // only a run that stays up has containers to attach; a short run must not take the socket for seconds
        Path socket = !keep || "none".equals(cniSocket) ? null : Path.of(cniSocket);
        // a DPDK bridge must be Ready before the topologies that use it are written: no early writes then
        EarlyWrites early = loaded.bridges().isEmpty() ? new EarlyWrites(loaded.profiles(), topologies, namespace) : null;
        EmbeddedControlPlane plane = EmbeddedControlPlane.start(node, socket, timings, early == null ? c -> { } : early, needs,
                apiServer);
        long planeUp = System.nanoTime();
        Thread hook = new Thread(() -> {
            if (!isTornDown()) {
                err.println();
                err.println("*** Interrupted: tearing the network down");
                err.flush();
            }
            teardown(plane, out, err, started);
        }, "nfvlab-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf(Locale.ROOT, "*** Control plane up in %.1f s%n", seconds(cpStart));
        if (socket != null) {
            out.println(plane.cniSocket() != null ? "*** CNI socket " + socket + ": nfvlab-cni attaches containers through this run"
                    : "*** CNI socket " + socket + " is served by another nfvlab agent: this run serves none");
        }
        out.flush();

        int result = ExitCodes.OK;
        try {
            KubernetesClient client = plane.client();
            if (early != null) {
                early.profileLines().forEach(out::println);
                out.flush();
                early.rethrowFailure();
            } else {
                for (LinkProfile p : loaded.profiles()) {
                    out.println("*** " + ResourceApplier.describe(p) + " " + ResourceApplier.apply(client, p, namespace));
                    out.flush();
                }
            }
            for (DpdkBridge b : loaded.bridges()) {
                long upStart = System.nanoTime();
                out.println("*** " + ResourceApplier.describe(b) + " " + ResourceApplier.apply(client, b, namespace));
                out.flush();
                DpdkBridge created = client.resource(b).get();
                DpdkBridge ready = BridgeWait.ready(client, b.getMetadata().getName(), created.getMetadata().getGeneration(),
                        Duration.ofSeconds(timeoutSeconds), out);
                out.printf(Locale.ROOT, "*** %s ready in %.2f s%n", b.getMetadata().getName(), seconds(upStart));
                out.print(BridgeWait.describe(ready));
                out.flush();
            }
            for (VirtualTopology t : topologies) {
                EarlyWrites.Written written = early == null ? null : early.written(t);
                long upStart = written != null ? written.writtenAt() : System.nanoTime();
                if (written == null) {
                    ResourceApplier.apply(client, t, namespace);
                }
                VirtualTopology created = written != null ? written.created() : client.resource(t).get();
                TopologyWait.ready(client, created.getMetadata().getNamespace(), created.getMetadata().getName(),
                        created.getMetadata().getGeneration(), Duration.ofSeconds(timeoutSeconds), out);
                out.printf(Locale.ROOT, "*** %s ready in %.2f s%n", t.getMetadata().getName(), seconds(upStart));
                // written while the control plane started: --timings counts from where the previous phase ended
                timings.since("topology " + t.getMetadata().getName() + " applied and Ready", Math.max(upStart, planeUp));
                out.flush();
            }
            for (TrafficTest test : runTests) {
                if (!runTest(client, test, topologies, out)) {
                    result = ExitCodes.FAILURE;
                }
            }
            if (keep) {
                String promptNamespace = topologies.size() == 1 ? topologies.get(0).getMetadata().getNamespace() : namespace;
                Path kubeconfig = plane.writeKubeconfig(promptNamespace);
                // not kubectl: it sends a bearer token only over TLS, and this loopback listener speaks plain HTTP
                out.println("*** API server " + plane.url() + "; from another terminal: ./nfvlab nodes --kubeconfig " + kubeconfig);
                out.println("*** Type help for the commands, exit or Ctrl-D to tear the network down");
                out.flush();
                Session session = Session.builder()
                        .client(client)
                        .ownsClient(false)
                        .namespace(promptNamespace)
                        .topologyName(topologies.size() == 1 ? topologies.get(0).getMetadata().getName() : null)
                        .out(out)
                        .err(err)
                        .localNode(node)
                        .prompt(true)
                        .build();
                Prompt.onStdin(session).run();
                result = ExitCodes.OK;
            }
        } finally {
            if (!teardown(plane, out, err, started)) {
                result = ExitCodes.FAILURE;
            }
        }
        return result;
    }

    private boolean runTest(KubernetesClient client, TrafficTest test, List<VirtualTopology> topologies, PrintWriter out) {
        List<String> hosts = topologies.stream()
                .filter(t -> test.getSpec().getTopologyRef() != null
                        && t.getMetadata().getName().equals(test.getSpec().getTopologyRef().getName()))
                .findFirst()
                .map(t -> TopologyExpander.expand(t.getSpec()).hosts().stream().map(TopologyGraph.Host::name).toList())
                .orElse(List.of());
        out.println(TrafficPrinter.header(test.getSpec(), hosts));
        out.flush();
        long t0 = System.nanoTime();
        test.getMetadata().setNamespace(namespace(test));
        TrafficRunner.Outcome outcome = TrafficRunner.run(client, withOperatorFinalizer(test), false, out);
        timings.since("test " + test.getMetadata().getName(), t0);
        out.print(TrafficPrinter.body(outcome.test(), hosts, outcome.elapsed()));
        out.flush();
        return outcome.succeeded();
    }

    /**
     * {@code r} with the operator's finalizer, which the operator's controller otherwise adds by an update before its
     * first reconcile: the run's operator is in this process and starts before anything is torn down, so the update
     * only delayed each topology's build and each test's start (≈10 ms each).
     */
    private static <T extends HasMetadata> T withOperatorFinalizer(T r) {
        r.addFinalizer(Nfvlab.OPERATOR_FINALIZER);
        return r;
    }

    private String namespace(HasMetadata r) {
        return r.getMetadata().getNamespace() == null ? namespace : r.getMetadata().getNamespace();
    }

    /** Deletes everything and waits for the agent, once, whether called at the end or from the shutdown hook. */
    private boolean teardown(EmbeddedControlPlane plane, PrintWriter out, PrintWriter err, long started) {
        synchronized (teardownLock) {
            if (tornDown) {
                return true;
            }
            tornDown = true;
            boolean clean = true;
            try {
                out.println("*** Stopping network: deleting traffic tests, topologies and bridges");
                out.flush();
                long t0 = System.nanoTime();
                EmbeddedControlPlane.Leftovers left = plane.teardown(Duration.ofSeconds(120), timings);
                if (left.none()) {
                    out.printf(Locale.ROOT, "*** Agent removed everything in %.2f s%n", seconds(t0));
                } else {
                    clean = false;
                    err.println("*** teardown incomplete: " + left + " (see " + io.nfvlab.cli.LogFile.PATH + ")");
                }
            } catch (RuntimeException e) {
                clean = false;
                err.println("*** teardown failed: " + io.nfvlab.cli.Errors.oneLine(e));
            } finally {
                long t1 = System.nanoTime();
                plane.close();
                timings.since("control plane stopped", t1);
            }
            out.println("*** Done");
            out.printf(Locale.ROOT, "completed in %.2f seconds%n", seconds(started));
            out.flush();
            timings.print(err);
            err.flush();
            return clean;
        }
    }

    private boolean isTornDown() {
        synchronized (teardownLock) {
            return tornDown;
        }
    }

    /** The tests of the files (topologyRef defaulted to the only topology) followed by those of --test. */
    private List<TrafficTest> testsToRun(List<TrafficTest> fromFiles, List<VirtualTopology> topologies) {
        List<TrafficTest> result = new ArrayList<>();
        for (TrafficTest t : fromFiles) {
            boolean onHosts = t.getSpec().getType() == null
                    || TrafficKinds.of(t.getSpec().getType()).placement(t.getSpec()) == TrafficKind.Placement.TOPOLOGY_HOSTS;
            if (t.getSpec().getTopologyRef() == null && onHosts && topologies.size() == 1) {
                t.getSpec().setTopologyRef(ObjectRef.builder().name(topologies.get(0).getMetadata().getName()).build());
            }
            if (t.getMetadata().getNamespace() == null) {
                t.getMetadata().setNamespace(namespace);
            }
            result.add(t);
        }
        Set<TrafficType> wanted = new LinkedHashSet<>();
        for (String r : tests) {
            if (r.equals("all")) {
                wanted.addAll(ALL_TESTS);
            } else if (!r.equals("none")) {
                wanted.add(TrafficType.fromWire(r).filter(MN_TESTS::contains).orElseThrow(() -> CliException.usage("--test " + r
                        + ": use " + MN_TESTS.stream().map(TrafficType::wireName).collect(Collectors.joining(", ")) + ", all or none")));
            }
        }
        if (!wanted.isEmpty() && topologies.isEmpty()) {
            throw CliException.usage("--test needs a topology (--topo or a VirtualTopology in the files)");
        }
        VirtualTopology target = topologies.isEmpty() ? null : topologies.get(topologies.size() - 1);
        for (TrafficType r : wanted) {
            TrafficTestSpec.TrafficTestSpecBuilder b = TrafficTestSpec.builder()
                    .topologyRef(ObjectRef.builder().name(target.getMetadata().getName()).build())
                    .type(r);
            TrafficTest t = new TrafficTest();
            t.setMetadata(new ObjectMetaBuilder()
                    .withName(target.getMetadata().getName() + "-" + r.wireName())
                    .withNamespace(target.getMetadata().getNamespace()).build());
            t.setSpec(b.build());
            result.add(t);
        }
        return result;
    }

    private VirtualTopology builtin() {
        VirtualTopology t = new VirtualTopology();
        String n = name != null ? name : nameOf(topo);
        t.setMetadata(new ObjectMetaBuilder().withName(n).withNamespace(namespace).build());
        t.setSpec(VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type(topo.trim()).build())
                .autoMac(autoMac ? Boolean.TRUE : null)
                .staticArp(staticArp ? Boolean.TRUE : null)
                .linkDefaults(link == null ? null : LinkOption.parse(link))
                .build());
        List<Violation> problems = TopologyValidator.validate(t);
        if (!problems.isEmpty()) {
            throw CliException.usage("--topo " + topo + ": " + problems.get(0).message());
        }
        return t;
    }

    /** "linear,4" → linear-4; "tree,depth=2,fanout=3" → tree-depth-2-fanout-3: a DNS label. */
    static String nameOf(String topo) {
        String n = topo.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return n.length() > 50 ? n.substring(0, 50).replaceAll("-+$", "") : n;
    }

    static SwitchKind parseSwitch(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "linux-bridge", "lxbr", "bridge" -> SwitchKind.LINUX_BRIDGE;
            case "ovs", "ovsk", "user", "ovsbr" -> SwitchKind.OVS;
            case "ovs-dpdk" -> throw CliException.usage("--switch ovs-dpdk needs a DpdkBridge: write the topology in a file with bridgeRef");
            default -> throw CliException.usage("--switch " + text + ": use linux-bridge or ovs");
        };
    }

    /** Prints what Mininet prints before it builds; returns the topology's graph. */
    private static TopologyGraph announce(PrintWriter out, VirtualTopology t, String node) {
        TopologyGraph g = TopologyExpander.expand(t.getSpec());
        SwitchKind kind = t.getSpec().getSwitchKind() == null ? SwitchKind.LINUX_BRIDGE : t.getSpec().getSwitchKind();
        out.printf("*** Creating network %s: %d hosts, %d switches (%s), %d links, on node %s%n", t.getMetadata().getName(),
                g.hosts().size(), g.switches().size(), kind.wireName(), g.links().size(), node);
        out.println("*** Adding hosts:");
        out.println(abbreviate(g.hosts().stream().map(TopologyGraph.Host::name).toList()));
        out.println("*** Adding switches:");
        out.println(abbreviate(g.switches().stream().map(TopologyGraph.Switch::name).toList()));
        out.println("*** Adding links:");
        out.println(abbreviate(g.links().stream().map(l -> "(" + l.a().node() + ", " + l.b().node() + ")").toList()));
        out.flush();
        return g;
    }

    /** A long list is cut after 40 items: a 1000-host tree need not scroll the terminal away. */
    private static String abbreviate(List<String> items) {
        if (items.size() <= 40) {
            return String.join(" ", items);
        }
        return items.stream().limit(40).collect(Collectors.joining(" ")) + " … (" + (items.size() - 40) + " more)";
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
