package io.nfvlab.cni;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** A valid userspace-CNI network configuration and runtime environment, to vary in tests. */
final class CniFixtures {
    private CniFixtures() {
    }

    static Map<String, Object> config(String network, String bridge, Path root) {
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put("cniVersion", "1.1.0");
        conf.put("name", network);
        conf.put("type", "nfvlab-cni");
        conf.put("sharedDir", root.resolve("shared").toString());
        conf.put("stateDir", root.resolve("state").toString());
        conf.put("host", new LinkedHashMap<>(Map.of("engine", "ovs-dpdk", "iftype", "vhostuser", "netType", "bridge",
                "vhost", Map.of("mode", "client"), "bridge", Map.of("bridgeName", bridge))));
        conf.put("container", new LinkedHashMap<>(Map.of("engine", "dpdk", "iftype", "vhostuser", "netType", "interface",
                "vhost", Map.of("mode", "server"))));
        conf.put("ipam", new LinkedHashMap<>(Map.of("type", "host-local", "subnet", "10.251.7.0/24",
                "dataDir", root.resolve("ipam").toString())));
        return conf;
    }

    static Map<String, String> env(String command, String containerId, String netns, String ifname) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", netns);
        env.put("CNI_IFNAME", ifname);
        env.put("CNI_PATH", "/usr/lib/cni");
        env.put("PATH", System.getenv("PATH"));
        return env;
    }
}
