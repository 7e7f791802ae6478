package io.nfvlab.agent.kernel.linux;

import com.fasterxml.jackson.databind.JsonNode;
import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.Action.*;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.kernel.Marks;
import io.nfvlab.agent.kernel.Observed;
import io.nfvlab.agent.kernel.OvsOps;
import io.nfvlab.agent.process.CommandRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code ovs-vsctl --timeout}: one call reads every bridge and port marked for this node (and interface errors);
 * one call applies all changes as a single transaction. Bridges use the userspace {@code netdev} datapath (the
 * openvswitch kernel module is often absent) and fail mode standalone, so they learn without a controller.
 */
final class LinuxOvsOps implements OvsOps {
    static final String CONTROLLER_KEY = "nfvlab-controller";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:\\[\\]/@\\-]+");

    @Override
    public Observed.Ovs observe(String node) {
        if (!SAFE.matcher(node).matches()) {
            return Observed.Ovs.NONE;
        }
        String cond = "external_ids:" + Marks.OVS_NODE_KEY + "=\"" + node + "\"";
        CommandRunner.Result r = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "--format=json",
                "--", "--columns=name,external_ids,datapath_type,stp_enable,ports", "find", "Bridge", cond,
                "--", "--columns=_uuid,name,external_ids", "find", "Port", cond,
                "--", "--columns=name,error", "find", "Interface", "error!=[]"), Duration.ofSeconds(10));
        if (!r.ok()) {
            return Observed.Ovs.NONE;
        }
        String[] lines = r.stdout().strip().split("\n");
        if (lines.length < 3) {
            return Observed.Ovs.NONE;
        }
        Map<String, String> errors = new HashMap<>();
        for (JsonNode row : LinuxLinkOps.parse(lines[2]).path("data")) {
            errors.put(row.get(0).asText(), atom(row.get(1)));
        }
        Map<String, String> bridgeOfPort = new HashMap<>();
        Map<String, Observed.OvsBridge> bridges = new TreeMap<>();
        for (JsonNode row : LinuxLinkOps.parse(lines[0]).path("data")) {
            String name = row.get(0).asText();
            Map<String, String> ids = map(row.get(1));
            for (String uuid : uuids(row.get(4))) {
                bridgeOfPort.put(uuid, name);
            }
            bridges.put(name, new Observed.OvsBridge(name, ids, row.get(2).asText(), row.get(3).asBoolean(),
                    ids.get(CONTROLLER_KEY), errors.get(name)));
        }
        Map<String, Observed.OvsPort> ports = new TreeMap<>();
        for (JsonNode row : LinuxLinkOps.parse(lines[1]).path("data")) {
            String uuid = row.get(0).get(1).asText();
            String name = row.get(1).asText();
            ports.put(name, new Observed.OvsPort(name, bridgeOfPort.getOrDefault(uuid, ""), map(row.get(2)), errors.get(name)));
        }
        return new Observed.Ovs(true, bridges, ports);
    }

    /** A string column value, or null for an empty set. */
    private static String atom(JsonNode v) {
        return v.isTextual() ? v.asText() : null;
    }

    private static Map<String, String> map(JsonNode v) {
        Map<String, String> out = new TreeMap<>();
        if (v.isArray() && "map".equals(v.get(0).asText())) {
            for (JsonNode kv : v.get(1)) {
                out.put(kv.get(0).asText(), kv.get(1).asText());
            }
        }
        return out;
    }

    private static List<String> uuids(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.isArray() && "uuid".equals(v.get(0).asText())) {
            out.add(v.get(1).asText());
        } else if (v.isArray() && "set".equals(v.get(0).asText())) {
            for (JsonNode u : v.get(1)) {
                out.add(u.get(1).asText());
            }
        }
        return out;
    }

    @Override
    public BatchResult apply(List<Action> actions) {
        // removals commit without waiting for ovs-vswitchd to reconfigure after each one (it tears a netdev-datapath
        // bridge down slowly); the caller's next observation sees the database, which is already final
        boolean onlyRemovals = actions.stream().allMatch(a -> a instanceof OvsBridgeDel || a instanceof OvsPortDel);
        List<String> argv = new ArrayList<>(List.of("ovs-vsctl", "--timeout=30"));
        if (onlyRemovals) {
            argv.add("--no-wait");
        }
        for (Action a : actions) {
            if (a instanceof OvsBridgeAdd x) {
                List<String> set = new ArrayList<>(List.of("--", "set", "Bridge", x.bridge(), "datapath_type=netdev",
                        "fail_mode=standalone", "stp_enable=" + x.stp()));
                x.externalIds().forEach((k, v) -> set.add(id(k, v)));
                if (x.controller() != null) set.add(id(CONTROLLER_KEY, x.controller()));
                argv.addAll(List.of("--", "add-br", x.bridge()));
                argv.addAll(set);
                if (x.controller() != null) argv.addAll(List.of("--", "set-controller", x.bridge(), x.controller()));
            } else if (a instanceof OvsBridgeSet x) {
                argv.addAll(List.of("--", "set", "Bridge", x.bridge(), "stp_enable=" + x.stp()));
                if (x.controller() != null) {
                    argv.add(id(CONTROLLER_KEY, x.controller()));
                    argv.addAll(List.of("--", "set-controller", x.bridge(), x.controller()));
                } else {
                    argv.addAll(List.of("--", "remove", "Bridge", x.bridge(), "external_ids", CONTROLLER_KEY,
                            "--", "del-controller", x.bridge()));
                }
            } else if (a instanceof OvsBridgeDel x) {
                argv.addAll(List.of("--", "--if-exists", "del-br", x.bridge()));
            } else if (a instanceof OvsPortAdd x) {
                argv.addAll(List.of("--", "add-port", x.bridge(), x.port(), "--", "set", "Port", x.port()));
                x.externalIds().forEach((k, v) -> argv.add(id(k, v)));
                if (x.vhostUser() != null) {
                    argv.addAll(List.of("--", "set", "Interface", x.port(), "type=dpdkvhostuserclient",
                            "options:vhost-server-path=" + quoted(x.vhostUser().socket())));
                    if (x.vhostUser().mtu() != null) {
                        argv.add("mtu_request=" + x.vhostUser().mtu());
                    }
                }
            } else if (a instanceof OvsPortDel x) {
                argv.addAll(List.of("--", "--if-exists", "del-port", x.bridge(), x.port()));
            }
        }
        for (String w : argv) {
            if (w.contains("\n")) {
                return BatchResult.allFailed(actions, "invalid value in OVS command");
            }
        }
        CommandRunner.Result r = CommandRunner.run(argv, Duration.ofSeconds(40));
        if (r.exitCode() == 127) {
            return BatchResult.allFailed(actions, "ovs-vsctl is missing (install openvswitch-switch; scripts/setup-host.sh)");
        }
        return r.ok() ? BatchResult.OK : BatchResult.allFailed(actions, r.describe());
    }

    /** external_ids:key="value", the value quoted as an OVSDB string so no character is read as syntax. */
    private static String id(String key, String value) {
        return "external_ids:" + key + "=" + quoted(value);
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
