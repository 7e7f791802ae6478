package io.nfvlab.cli.run;

import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.cli.CliException;
import io.nfvlab.cli.ExitCodes;
import io.nfvlab.cli.HostInfo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks, before anything is built, that this machine can run what the user asked for: root, and each program the
 * agent will call, naming the Debian package that brings a missing one; Open vSwitch running when a switch needs it.
 */
final class HostRequirements {
    private HostRequirements() {
    }

    static void check(List<VirtualTopology> topologies, boolean dpdkBridges, List<TrafficTestSpec> tests) {
        if (!HostInfo.isRoot()) {
            throw new CliException(ExitCodes.NOT_ROOT, "nfvlab run needs root (it creates network namespaces, veth pairs "
                    + "and bridges): run it with sudo");
        }
        Map<String, String> programs = new LinkedHashMap<>();
        programs.put("ip", "iproute2");
        programs.put("tc", "iproute2");
        boolean ovs = dpdkBridges || topologies.stream().anyMatch(HostRequirements::usesOvs);
        if (ovs) {
            programs.put("ovs-vsctl", "openvswitch-switch");
            programs.put("ethtool", "ethtool");
        }
        for (TrafficTestSpec t : tests) {
            TrafficType type = t.getType();
            if (type == TrafficType.PING || type == TrafficType.PINGALL || type == TrafficType.PINGPAIR) {
                programs.put("ping", "iputils-ping");
            } else if (type == TrafficType.IPERF || type == TrafficType.IPERFUDP) {
                programs.put("iperf3", "iperf3");
            } else if (type == TrafficType.TESTPMD || type == TrafficType.THROUGHPUT_SEARCH || type == TrafficType.RFC2544) {
                programs.put("dpdk-testpmd", "dpdk-dev");
            }
        }
        programs.forEach((program, pkg) -> {
            if (!HostInfo.onPath(program)) {
                throw CliException.failure("missing " + program + " (Debian package " + pkg + "): install it with "
                        + "`sudo apt-get install " + pkg + "`, or run `sudo scripts/setup-host.sh`");
            }
        });
        if (ovs) {
            CommandRunner.Result r = CommandRunner.run(List.of("ovs-vsctl", "--timeout=3", "show"), Duration.ofSeconds(5));
            if (!r.ok()) {
                throw CliException.failure("Open vSwitch is not running (" + r.describe() + "): start it with "
                        + "`sudo scripts/setup-host.sh`");
            }
        }
    }

    private static boolean usesOvs(VirtualTopology t) {
        var spec = t.getSpec();
        if (spec == null) {
            return false;
        }
        if (spec.getSwitchKind() != null && spec.getSwitchKind() != SwitchKind.LINUX_BRIDGE) {
            return true;
        }
        return spec.switchesOrEmpty().stream().map(SwitchSpec::getKind)
                .anyMatch(k -> k != null && k != SwitchKind.LINUX_BRIDGE);
    }
}
