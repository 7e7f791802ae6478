package io.nfvlab.operator.traffic;

import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJob.JobPair;
import io.nfvlab.api.node.TrafficJob.Role;
import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.kinds.TrafficKind;
import io.nfvlab.api.traffic.kinds.TrafficKinds;
import io.nfvlab.api.topology.VirtualTopologyStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A TrafficTest run → the traffic jobs of each node. The test's kind chooses the pairs (Mininet's) and the parameters
 * the jobs carry. The client job goes to the node of each pair's source; when the kind needs servers and a destination
 * is on another node, that node gets a server job on the same port. Pure: no client calls.
 */
public final class TrafficPlanner {
    /** A host of the topology as its status places it. */
    public record HostInfo(String name, String node, String netns, String address) {
    }

    private TrafficPlanner() {
    }

    /** Job id of a test on every node (results come back under it). */
    public static String jobId(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** iperf3 port of a test: the same on client and server nodes, spread so that tests rarely share one. */
    public static int port(String namespace, String name) {
        return 5201 + Math.floorMod(jobId(namespace, name).hashCode(), 1000);
    }

    /** The ordered (source, destination) pairs of the test over hosts in Mininet's order, as its kind chooses them. */
    public static List<HostInfo[]> pairs(TrafficTestSpec spec, List<HostInfo> hosts) {
        Map<String, HostInfo> byName = new LinkedHashMap<>();
        hosts.forEach(h -> byName.put(h.name(), h));
        return TrafficKinds.of(spec.getType()).pairs(spec, List.copyOf(byName.keySet())).stream()
                .map(p -> new HostInfo[]{byName.get(p.source()), byName.get(p.destination())})
                .toList();
    }

    /**
     * Jobs per node for one run. {@code withServers} false leaves out the server jobs (after the run, so that no
     * iperf3 server stays up for nothing).
     */
    public static Map<String, List<TrafficJob>> plan(String namespace, String name, TrafficTestSpec spec, List<HostInfo> hosts,
                                                     String runKey, boolean withServers) {
        String id = jobId(namespace, name);
        TrafficKind kind = TrafficKinds.of(spec.getType());
        boolean needsServer = kind.needsServers();
        TrafficParameters parameters = kind.parameters(spec);
        if (!needsServer) {
            Optional<List<String>> all = kind.allPairsOf(spec, hosts.stream().map(HostInfo::name).toList());
            if (all.isPresent()) {
                return allPairs(id, runKey, spec, parameters, hosts, all.get());
            }
        }
        Map<String, List<JobPair>> clientPairs = new TreeMap<>();
        Map<String, List<JobPair>> serverPairs = new TreeMap<>();
        for (HostInfo[] p : pairs(spec, hosts)) {
            HostInfo src = p[0];
            HostInfo dst = p[1];
            boolean local = Objects.equals(src.node(), dst.node());
            clientPairs.computeIfAbsent(src.node(), k -> new ArrayList<>()).add(JobPair.builder()
                    .source(src.name()).sourceNetns(src.netns())
                    .destination(dst.name()).destinationAddress(dst.address())
                    .destinationNetns(local ? dst.netns() : null)
                    .build());
            if (needsServer && !local) {
                serverPairs.computeIfAbsent(dst.node(), k -> new ArrayList<>()).add(JobPair.builder()
                        .source(src.name()).destination(dst.name()).destinationAddress(dst.address()).destinationNetns(dst.netns()).build());
            }
        }
        Integer port = needsServer ? port(namespace, name) : null;
        Map<String, List<TrafficJob>> jobs = new TreeMap<>();
        clientPairs.forEach((node, pairs) -> jobs.computeIfAbsent(node, k -> new ArrayList<>()).add(TrafficJob.builder()
                .id(id).runKey(runKey).role(Role.CLIENT).port(port).type(spec.getType()).parameters(parameters).pairs(pairs).build()));
        if (withServers) {
            serverPairs.forEach((node, pairs) -> jobs.computeIfAbsent(node, k -> new ArrayList<>()).add(TrafficJob.builder()
                    .id(id + "/server").runKey(runKey).role(Role.SERVER).port(port).type(spec.getType()).parameters(parameters).pairs(pairs).build()));
        }
        return jobs;
    }

    /**
     * An all-pairs test: each node's sources towards every chosen host, as jobs that carry hosts, not pairs, each of at
     * most {@link #BLOCK} sources and {@link #BLOCK} destinations so that one job fits in a node state's part
     * (about 300 KiB at most). One block keeps the test's job id; more are numbered source block, destination block.
     */
    private static Map<String, List<TrafficJob>> allPairs(String id, String runKey, TrafficTestSpec spec, TrafficParameters parameters,
                                                          List<HostInfo> hosts, List<String> chosen) {
        Map<String, HostInfo> byName = new HashMap<>();
        hosts.forEach(h -> byName.putIfAbsent(h.name(), h));
        List<HostInfo> ordered = chosen.stream().map(byName::get).filter(Objects::nonNull).toList();
        Map<String, List<HostInfo>> sourcesByNode = new TreeMap<>();
        ordered.forEach(h -> sourcesByNode.computeIfAbsent(h.node(), k -> new ArrayList<>()).add(h));
        List<List<HostInfo>> destinationBlocks = blocks(ordered);
        Map<String, List<TrafficJob>> jobs = new TreeMap<>();
        sourcesByNode.forEach((node, sources) -> {
            List<List<HostInfo>> sourceBlocks = blocks(sources);
            boolean one = sourceBlocks.size() == 1 && destinationBlocks.size() == 1;
            for (int s = 0; s < sourceBlocks.size(); s++) {
                for (int d = 0; d < destinationBlocks.size(); d++) {
                    TrafficJob.TrafficJobBuilder job = TrafficJob.builder().id(one ? id : id + "/b" + s + "-" + d).runKey(runKey)
                            .role(Role.CLIENT).type(spec.getType()).parameters(parameters);
                    sourceBlocks.get(s).forEach(h -> job.source(TrafficJob.JobHost.builder().name(h.name()).netns(h.netns()).build()));
                    destinationBlocks.get(d).forEach(h -> job.destination(TrafficJob.JobHost.builder().name(h.name())
                            .address(h.address()).netns(node.equals(h.node()) ? h.netns() : null).build()));
                    jobs.computeIfAbsent(node, k -> new ArrayList<>()).add(job.build());
                }
            }
        });
        return jobs;
    }

    /** Hosts per all-pairs job and side: 2500 sources and 2500 destinations are about 300 KiB of JSON. */
    static final int BLOCK = 2500;

    private static List<List<HostInfo>> blocks(List<HostInfo> hosts) {
        List<List<HostInfo>> out = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i += BLOCK) {
            out.add(hosts.subList(i, Math.min(hosts.size(), i + BLOCK)));
        }
        return out;
    }

    /** A testpmd run is one client job on the node testpmd runs on. */
    public static Map<String, List<TrafficJob>> planTestpmd(String namespace, String name, TrafficTestSpec spec, String node, String runKey) {
        return Map.of(node, List.of(TrafficJob.builder().id(jobId(namespace, name)).runKey(runKey).role(Role.CLIENT)
                .type(spec.getType()).parameters(TrafficKinds.of(spec.getType()).parameters(spec)).build()));
    }

    /**
     * testpmd on a topology's vhostUser hosts: one job on their node, whose testpmd attaches to each host's first
     * vhost-user port (the agent finds the sockets in its node states and names the results by host).
     *
     * @throws IllegalArgumentException when a host has no vhost-user port in the status yet, or the hosts are on
     *                                  several nodes (testpmd is one process)
     */
    public static Map<String, List<TrafficJob>> planTestpmdOnHosts(String namespace, String name, TrafficTestSpec spec,
                                                                   List<VirtualTopologyStatus.HostStatus> placed, String runKey) {
        List<String> ports = new ArrayList<>();
        Map<String, String> nodeOf = new LinkedHashMap<>();
        Map<String, VirtualTopologyStatus.HostStatus> byName = new HashMap<>();
        placed.forEach(p -> byName.putIfAbsent(p.getName(), p));
        TrafficKind kind = TrafficKinds.of(spec.getType());
        for (TrafficKind.VhostUserHost vh : kind.vhostUserHosts(spec)) {
            String host = vh.host();
            VirtualTopologyStatus.HostStatus h = byName.get(host);
            if (h == null || h.getVhostUser() == null || h.getVhostUser().isEmpty()) {
                throw new IllegalArgumentException("vhostUser host " + host + " has no port in the topology's status");
            }
            ports.add(h.getVhostUser().get(0).getPort());
            nodeOf.put(host, h.getNode());
        }
        if (Set.copyOf(nodeOf.values()).size() != 1) {
            throw new IllegalArgumentException("testpmd (and an rfc2544 generator beside it) runs on one node, and the hosts are on different nodes " + nodeOf);
        }
        TrafficTestSpec job = kind.onVhostUserPorts(spec, ports);
        return Map.of(nodeOf.values().iterator().next(), List.of(TrafficJob.builder().id(jobId(namespace, name)).runKey(runKey)
                .role(Role.CLIENT).type(job.getType()).parameters(kind.parameters(job)).build()));
    }

}
