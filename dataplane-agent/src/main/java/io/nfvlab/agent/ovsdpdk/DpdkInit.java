package io.nfvlab.agent.ovsdpdk;

import io.nfvlab.api.bridge.DpdkSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DPDK inside ovs-vswitchd. OVS 3.x initializes DPDK at run time the first time it sees {@code dpdk-init=true}, so
 * enabling it needs no restart; the other dpdk-* keys are read only then, so once DPDK is up they are left alone
 * (the shared ovs-vswitchd is never restarted by a bridge: every other user's ports would drop).
 */
public final class DpdkInit {
    public static final String DEFAULT_SOCKET_MEM = "512";
    public static final String DEFAULT_LCORE_MASK = "0x1";
    public static final String DEFAULT_PMD_MASK = "0x2";

    /** The settings other_config should carry for these bridge settings. */
    static Map<String, String> otherConfig(DpdkSettings settings) {
        DpdkSettings s = settings == null ? new DpdkSettings() : settings;
        List<String> pci = s.getPciDevices() == null ? List.of() : s.getPciDevices();
        StringBuilder extra = new StringBuilder();
        if (pci.isEmpty()) {
            extra.append("--no-pci");
        } else {
            for (String device : pci) {
                extra.append(extra.isEmpty() ? "" : " ").append("-a ").append(device);
            }
        }
        return Map.of(
                "dpdk-init", "true",
                "dpdk-socket-mem", s.getSocketMem() == null ? DEFAULT_SOCKET_MEM : s.getSocketMem(),
                "dpdk-lcore-mask", s.getLcoreMask() == null ? DEFAULT_LCORE_MASK : s.getLcoreMask(),
                "pmd-cpu-mask", s.getPmdCpuMask() == null ? DEFAULT_PMD_MASK : s.getPmdCpuMask(),
                "dpdk-extra", extra.toString());
    }

    /** Pages of 2 MB that ovs-vswitchd's socket memory takes when DPDK starts. */
    static long socketMemPages(DpdkSettings settings) {
        String mem = settings == null || settings.getSocketMem() == null ? DEFAULT_SOCKET_MEM : settings.getSocketMem();
        long mb = 0;
        for (String part : mem.split(",")) {
            mb += Long.parseLong(part.strip());
        }
        return (mb + 1) / 2;
    }

    /** A note naming settings that differ from what the running DPDK was started with, or empty. */
    static Optional<String> drift(DpdkSettings settings, Map<String, String> current) {
        if (settings == null) {
            return Optional.empty();
        }
        List<String> differing = new ArrayList<>();
        otherConfig(settings).forEach((k, v) -> {
            String now = current.get(k);
            boolean specified = switch (k) {
                case "dpdk-socket-mem" -> settings.getSocketMem() != null;
                case "dpdk-lcore-mask" -> settings.getLcoreMask() != null;
                case "pmd-cpu-mask" -> settings.getPmdCpuMask() != null;
                case "dpdk-extra" -> settings.getPciDevices() != null && !settings.getPciDevices().isEmpty();
                default -> false;
            };
            if (specified && !v.equals(now)) {
                differing.add(k + "=" + v + " (running: " + now + ")");
            }
        });
        return differing.isEmpty() ? Optional.empty() : Optional.of("DPDK already runs with other settings; "
                + String.join(", ", differing) + " take effect only after ovs-vswitchd restarts");
    }
}
