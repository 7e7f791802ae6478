package io.nfvlab.agent.traffic.testpmd;

import io.nfvlab.agent.ovsdpdk.VhostSockets;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.traffic.JobContext;
import io.nfvlab.agent.traffic.KindRunner;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.PlannedDpdkBridge;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.node.TrafficJobResult.JobPhase;
import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.traffic.TestpmdSpec;
import io.nfvlab.api.traffic.TrafficType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The runner of testpmd jobs (and of throughput-search with generator testpmd, which it refuses): finds the ports of the referenced DpdkBridge on this node (from the agent's
 * own node states) and runs {@link TestpmdRunner} on them. Phase Failed means the traffic could not run. A port may
 * also be a topology's vhostUser host port on that DpdkBridge's bridge (as its status lists it); testpmd then serves
 * that port's socket.
 */
public final class DpdkTestpmdTraffic implements KindRunner {
    private final Function<String, Optional<PlannedDpdkBridge>> bridges;
    private final BiFunction<String, String, Optional<VhostSockets.Attachment>> vhostUserPorts;

    /** @param bridges DpdkBridge name → the bridge as planned for this node, if it is planned here */
    public DpdkTestpmdTraffic(Function<String, Optional<PlannedDpdkBridge>> bridges) {
        this(bridges, (bridge, port) -> Optional.empty());
    }

    /**
     * @param vhostUserPorts (OVS bridge, or null for any; port) → the attachment of a vhostUser host's port planned on
     *                       this node, named by its host
     */
    public DpdkTestpmdTraffic(Function<String, Optional<PlannedDpdkBridge>> bridges,
                              BiFunction<String, String, Optional<VhostSockets.Attachment>> vhostUserPorts) {
        this.bridges = bridges;
        this.vhostUserPorts = vhostUserPorts;
    }

    /** testpmd jobs of {@code nodeName} find their DpdkBridge's ports in that node's own states. */
    public static DpdkTestpmdTraffic forNode(KubernetesClient client, String nodeName) {
        return overStates(() -> client.resources(NetworkNodeState.class)
                .withLabel(Nfvlab.NODE_LABEL, nodeName).list().getItems());
    }

    /** A lookup over the node states the agent holds (e.g. its informer cache). */
    public static DpdkTestpmdTraffic overStates(Supplier<Collection<NetworkNodeState>> states) {
        return new DpdkTestpmdTraffic(name -> states.get().stream()
                .filter(s -> s.getSpec() != null)
                .flatMap(s -> s.getSpec().dpdkBridgesOrEmpty().stream())
                .filter(b -> name.equals(b.getName()))
                .findFirst(),
                (bridge, port) -> states.get().stream()
                        .filter(s -> s.getSpec() != null)
                        .flatMap(s -> s.getSpec().linksOrEmpty().stream())
                        .map(PlannedLink::vhostUserEnd)
                        .filter(e -> e != null && port.equals(e.getDevice()) && (bridge == null || bridge.equals(e.getBridge())))
                        .findFirst()
                        .map(e -> new VhostSockets.Attachment(e.getNode(), Path.of(e.getVhostUserSocket()), true)));
    }

    /** The attachment of a vhostUser host's port planned on this node (rfc2544's DPDK path attaches to two). */
    public Optional<VhostSockets.Attachment> vhostUserPort(String port) {
        return vhostUserPorts.apply(null, port);
    }

    @Override
    public TrafficJobResult run(TrafficJob job, JobContext context) {
        return run(context.state(), job);
    }

    public TrafficJobResult run(NetworkNodeState state, TrafficJob job) {
        TrafficParameters test = job.parametersOrEmpty();
        if (job.getType() != TrafficType.TESTPMD) {
            return failed("throughput-search with generator testpmd is not supported: dpdk-testpmd 22.11 cannot "
                    + "limit its transmit rate; use generator iperf3");
        }
        TestpmdSpec spec = test.getTestpmd();
        if (spec != null && spec.getBridgeRef() == null && spec.getPorts() != null && !spec.getPorts().isEmpty()) {
            return run(job, test, spec, onVhostUserHosts(spec.getPorts()));
        }
        if (spec == null || spec.getBridgeRef() == null) {
            return failed("spec.testpmd.bridgeRef is required");
        }
        Optional<PlannedDpdkBridge> bridge = bridges.apply(spec.getBridgeRef());
        if (bridge.isEmpty()) {
            return failed("DpdkBridge " + spec.getBridgeRef() + " is not planned on node " + state.getSpec().getNodeName());
        }
        List<String> names = spec.getPorts() == null || spec.getPorts().isEmpty()
                ? bridge.get().getSpec().getPorts().stream().limit(2).map(p -> p.getName()).toList() : spec.getPorts();
        List<VhostSockets.Attachment> attachments = new ArrayList<>();
        for (String name : names) {
            try {
                attachments.add(VhostSockets.attachment(bridge.get(), name));
            } catch (IllegalArgumentException e) {
                Optional<VhostSockets.Attachment> host = vhostUserPorts.apply(bridge.get().getSpec().getBridgeName(), name);
                if (host.isEmpty()) {
                    return failed("spec.testpmd.ports: " + e.getMessage() + ", nor is it the port of a vhostUser host on its bridge here");
                }
                attachments.add(host.get());
            }
        }
        return run(job, test, spec, attachments);
    }

    /**
     * The ports the operator resolved from a test's vhostUser hosts (testpmd.hosts): each must be planned on this node;
     * null when one is not.
     */
    private List<VhostSockets.Attachment> onVhostUserHosts(List<String> ports) {
        List<VhostSockets.Attachment> attachments = new ArrayList<>();
        for (String port : ports) {
            Optional<VhostSockets.Attachment> host = vhostUserPorts.apply(null, port);
            if (host.isEmpty()) {
                return null;
            }
            attachments.add(host.get());
        }
        return attachments;
    }

    private TrafficJobResult run(TrafficJob job, TrafficParameters test, TestpmdSpec spec, List<VhostSockets.Attachment> attachments) {
        if (attachments == null) {
            return failed("spec.testpmd.hosts: the vhost-user ports " + spec.getPorts() + " are not all planned on this node");
        }
        String prefix = ("nfvtp-" + job.getId()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        prefix = prefix.substring(0, Math.min(prefix.length(), 32));
        int seconds = test.getDurationSeconds() == null ? 5 : test.getDurationSeconds();
        TestpmdRunner.Report report = TestpmdRunner.run(new TestpmdRunner.Request(attachments, spec.getMode(),
                test.getPacketSize(), Duration.ofSeconds(seconds), spec.getRateMpps(), prefix, null, null));
        return TrafficJobResult.builder()
                .phase(report.failed() ? JobPhase.FAILED : JobPhase.SUCCEEDED)
                .message(report.message())
                .results(report.pairs())
                .build();
    }

    private static TrafficJobResult failed(String message) {
        return TrafficJobResult.builder().phase(JobPhase.FAILED).message(message).results(List.of()).build();
    }
}
