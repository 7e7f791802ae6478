package io.nfvlab.cli.run;

import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.node.Tool;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.kinds.TrafficKind;
import io.nfvlab.api.traffic.kinds.TrafficKinds;
import io.nfvlab.cli.CliException;
import io.nfvlab.cli.ExitCodes;
import io.nfvlab.cli.HostInfo;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks, before anything is built, that this machine can run what the user asked for: root, and each program the
 * agent will call (the tests' programs as their kinds name them), naming the Debian package that brings a missing one;
 * Open vSwitch running when a switch needs it.
 */
final class HostRequirements {
    private HostRequirements() {
    }

    static void check(List<VirtualTopology> topologies, boolean dpdkBridges, List<TrafficTestSpec> tests) {
        if (!HostInfo.isRoot()) {
            throw new CliException(ExitCodes.NOT_ROOT, "nfvlab run needs root (it creates network namespaces, veth pairs "
                    + "and bridges): run it with sudo");
        }
        Set<Tool> tools = new LinkedHashSet<>(List.of(Tool.IP, Tool.TC));
        boolean ovs = dpdkBridges || topologies.stream().anyMatch(HostRequirements::usesOvs);
        if (ovs) {
            tools.add(Tool.OVS_VSCTL);
            tools.add(Tool.ETHTOOL);
        }
        for (TrafficTestSpec t : tests) {
            if (t.getType() != null) {
                TrafficKind kind = TrafficKinds.of(t.getType());
                tools.addAll(new TreeSet<>(kind.tools(kind.parameters(t))));
            }
        }
        // on PATH: the embedded agent and this check run them by name
        tools.stream().filter(t -> !HostInfo.onPath(t.program())).findFirst().ifPresent(t -> {
            throw CliException.failure("missing " + t.program() + " (Debian package " + t.debianPackage() + "): install it with "
                    + "`sudo apt-get install " + t.debianPackage() + "`, or run `sudo scripts/setup-host.sh`");
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
