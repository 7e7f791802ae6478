package io.nfvlab.operator.traffic;

import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJob.JobPair;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.topology.VirtualTopologyStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A TrafficTest run → the traffic jobs of each node. Pairs follow Mininet: ping from the first host to the second,
 * pingpair both ways between the first two, pingall every ordered pair, iperf from the first host to the last. The
 * client job goes to the node of each pair's source; when a destination of an iperf type is on another node, that
 * node gets a server job on the same port. Pure: no client calls.
 */
public final class TrafficPlanner {
    public static final String ROLE_CLIENT = "client";
    public static final String ROLE_SERVER = "server";

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

    /** The ordered (source, destination) pairs of the test over hosts in Mininet's order. */
    public static List<HostInfo[]> pairs(TrafficTestSpec spec, List<HostInfo> hosts) {
        Map<String, HostInfo> byName = new LinkedHashMap<>();
        hosts.forEach(h -> byName.put(h.name(), h));
        List<HostInfo[]> pairs = new ArrayList<>();
        TrafficType type = spec.getType();
        switch (type) {
            case PINGALL -> {
                List<HostInfo> chosen = spec.getHosts() == null ? hosts : spec.getHosts().stream().map(byName::get).toList();
                for (HostInfo a : chosen) {
                    for (HostInfo b : chosen) {
                        if (a != b) {
                            pairs.add(new HostInfo[]{a, b});
                        }
                    }
                }
            }
            case PINGPAIR -> {
                HostInfo a = byName.get(or(spec.getSource(), hosts.get(0).name()));
                HostInfo b = byName.get(or(spec.getDestination(), hosts.get(1).name()));
                pairs.add(new HostInfo[]{a, b});
                pairs.add(new HostInfo[]{b, a});
            }
            case PING -> pairs.add(new HostInfo[]{byName.get(or(spec.getSource(), hosts.get(0).name())),
                    byName.get(or(spec.getDestination(), hosts.get(1).name()))});
            case IPERF, IPERFUDP, THROUGHPUT_SEARCH, RFC2544 -> pairs.add(new HostInfo[]{byName.get(or(spec.getSource(), hosts.get(0).name())),
                    byName.get(or(spec.getDestination(), hosts.get(hosts.size() - 1).name()))});
            default -> {
            }
        }
        return pairs;
    }

    /**
     * Jobs per node for one run. {@code withServers} false leaves out the server jobs (after the run, so that no
     * iperf3 server stays up for nothing).
     */
    public static Map<String, List<TrafficJob>> plan(String namespace, String name, TrafficTestSpec spec, List<HostInfo> hosts,
                                                     String runKey, boolean withServers) {
        String id = jobId(namespace, name);
        boolean needsServer = spec.getType() == TrafficType.IPERF || spec.getType() == TrafficType.IPERFUDP
                || spec.getType() == TrafficType.THROUGHPUT_SEARCH || spec.getType() == TrafficType.RFC2544;
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
                .id(id).runKey(runKey).role(ROLE_CLIENT).port(port).test(spec).pairs(pairs).build()));
        if (withServers) {
            serverPairs.forEach((node, pairs) -> jobs.computeIfAbsent(node, k -> new ArrayList<>()).add(TrafficJob.builder()
                    .id(id + "/server").runKey(runKey).role(ROLE_SERVER).port(port).test(spec).pairs(pairs).build()));
        }
        return jobs;
    }

    /** A testpmd run is one client job on the node testpmd runs on. */
    public static Map<String, List<TrafficJob>> planTestpmd(String namespace, String name, TrafficTestSpec spec, String node, String runKey) {
        return Map.of(node, List.of(TrafficJob.builder().id(jobId(namespace, name)).runKey(runKey).role(ROLE_CLIENT).test(spec).build()));
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
        for (String host : spec.getTestpmd().getHosts()) {
            VirtualTopologyStatus.HostStatus h = byName.get(host);
            if (h == null || h.getVhostUser() == null || h.getVhostUser().isEmpty()) {
                throw new IllegalArgumentException("vhostUser host " + host + " has no port in the topology's status");
            }
            ports.add(h.getVhostUser().get(0).getPort());
            nodeOf.put(host, h.getNode());
        }
        if (Set.copyOf(nodeOf.values()).size() != 1) {
            throw new IllegalArgumentException("testpmd is one process on one node, and the hosts are on different nodes " + nodeOf);
        }
        TrafficTestSpec job = spec.toBuilder().testpmd(spec.getTestpmd().toBuilder().hosts(null).ports(ports).build()).build();
        return Map.of(nodeOf.values().iterator().next(), List.of(TrafficJob.builder().id(jobId(namespace, name)).runKey(runKey)
                .role(ROLE_CLIENT).test(job).build()));
    }

    private static String or(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
