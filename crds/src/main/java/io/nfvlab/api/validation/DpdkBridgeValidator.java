package io.nfvlab.api.validation;

import io.nfvlab.api.bridge.DpdkBridgeSpec;
import io.nfvlab.api.bridge.DpdkSettings;
import io.nfvlab.api.bridge.FlowSpec;
import io.nfvlab.api.bridge.VhostUserPort;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a DpdkBridge spec for what its CRD schema cannot say (unknown ports in flows, duplicate socket paths, masks
 * that share cores) and repeats the schema's own rules, so that a spec built in Java is judged the same way.
 */
public final class DpdkBridgeValidator {
    /** OVS bridge and port names: they become netdev names, so IFNAMSIZ applies. */
    static final Pattern OVS_NAME = Pattern.compile("^[a-z][a-z0-9-]{0,14}$");
    /** Socket paths reach ovs-vsctl and DPDK devargs: no comma (a devargs separator), no "..", no spaces. */
    static final Pattern SOCKET_PATH = Pattern.compile("^/[A-Za-z0-9._/-]+$");
    static final Pattern MASK = Pattern.compile("^0x[0-9a-fA-F]{1,64}$");
    static final Pattern SOCKET_MEM = Pattern.compile("^[0-9]{1,7}(,[0-9]{1,7}){0,7}$");
    static final Pattern PCI = Pattern.compile("^([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]$");
    /** Longest usable unix socket path (sun_path is 108 bytes with the terminating NUL). */
    static final int MAX_SOCKET_PATH = 107;
    static final int MAX_PORTS = 64;

    private DpdkBridgeValidator() {
    }

    public static List<Violation> validate(DpdkBridgeSpec spec) {
        List<Violation> out = new ArrayList<>();
        if (spec == null) {
            out.add(new Violation("spec", "is required"));
            return out;
        }
        if (spec.getBridgeName() == null || spec.getBridgeName().isEmpty()) {
            out.add(new Violation("spec.bridgeName", "is required"));
        } else if (!OVS_NAME.matcher(spec.getBridgeName()).matches()) {
            out.add(new Violation("spec.bridgeName", "\"" + spec.getBridgeName()
                    + "\" must be a lowercase letter followed by at most 14 lowercase letters, digits or '-'"));
        }
        checkSettings(spec.getDpdk(), out);
        Set<String> portNames = checkPorts(spec, out);
        checkFlows(spec.getFlows(), portNames, out);
        return out;
    }

    private static void checkSettings(DpdkSettings dpdk, List<Violation> out) {
        if (dpdk == null) {
            return;
        }
        if (dpdk.getSocketMem() != null && !SOCKET_MEM.matcher(dpdk.getSocketMem()).matches()) {
            out.add(new Violation("spec.dpdk.socketMem", "\"" + dpdk.getSocketMem()
                    + "\" must be MB per NUMA socket separated by commas, e.g. 512 or 512,512"));
        }
        BigInteger lcore = mask(dpdk.getLcoreMask(), "spec.dpdk.lcoreMask", out);
        BigInteger pmd = mask(dpdk.getPmdCpuMask(), "spec.dpdk.pmdCpuMask", out);
        if (lcore != null && pmd != null && lcore.and(pmd).signum() != 0) {
            out.add(new Violation("spec.dpdk.pmdCpuMask", dpdk.getPmdCpuMask() + " shares cores with lcoreMask "
                    + dpdk.getLcoreMask() + ": a PMD thread spins its core, so give it cores of its own"));
        }
        if (dpdk.getHugepages() != null && dpdk.getHugepages() < 0) {
            out.add(new Violation("spec.dpdk.hugepages", "must not be negative, got " + dpdk.getHugepages()));
        }
        if (dpdk.getPciDevices() != null) {
            for (int i = 0; i < dpdk.getPciDevices().size(); i++) {
                String pci = dpdk.getPciDevices().get(i);
                if (pci == null || !PCI.matcher(pci).matches()) {
                    out.add(new Violation("spec.dpdk.pciDevices[" + i + "]", "\"" + pci
                            + "\" is not a PCI address such as 0000:00:04.0"));
                }
            }
        }
    }

    private static BigInteger mask(String value, String field, List<Violation> out) {
        if (value == null) {
            return null;
        }
        if (!MASK.matcher(value).matches()) {
            out.add(new Violation(field, "\"" + value + "\" must be a hexadecimal CPU mask such as 0x2"));
            return null;
        }
        BigInteger mask = new BigInteger(value.substring(2), 16);
        if (mask.signum() == 0) {
            out.add(new Violation(field, "must select at least one core, got " + value));
            return null;
        }
        return mask;
    }

    private static Set<String> checkPorts(DpdkBridgeSpec spec, List<Violation> out) {
        Set<String> names = new HashSet<>();
        List<VhostUserPort> ports = spec.getPorts() == null ? List.of() : spec.getPorts();
        if (ports.size() > MAX_PORTS) {
            out.add(new Violation("spec.ports", "at most " + MAX_PORTS + " ports per bridge, got " + ports.size()));
        }
        Map<String, Integer> sockets = new HashMap<>();
        for (int i = 0; i < ports.size(); i++) {
            VhostUserPort port = ports.get(i);
            String path = "spec.ports[" + i + "]";
            if (port == null) {
                out.add(new Violation(path, "must not be null"));
                continue;
            }
            String name = port.getName();
            if (name == null || name.isEmpty()) {
                out.add(new Violation(path + ".name", "is required"));
            } else if (!OVS_NAME.matcher(name).matches()) {
                out.add(new Violation(path + ".name", "\"" + name
                        + "\" must be a lowercase letter followed by at most 14 lowercase letters, digits or '-'"));
            } else if (!names.add(name)) {
                out.add(new Violation(path + ".name", "\"" + name + "\" is used by another port of this bridge"));
            } else if (name.equals(spec.getBridgeName())) {
                out.add(new Violation(path + ".name", "\"" + name + "\" is the bridge's own name"));
            }
            String socket = port.getSocketPath();
            if (socket != null) {
                if (port.getType() == VhostUserPort.Type.DPDKVHOSTUSER) {
                    out.add(new Violation(path + ".socketPath", "only dpdkvhostuserclient ports take a socket path; "
                            + "OVS names the socket of a dpdkvhostuser port itself"));
                } else if (!SOCKET_PATH.matcher(socket).matches() || socket.contains("..") || socket.contains("//")
                        || socket.endsWith("/")) {
                    out.add(new Violation(path + ".socketPath", "\"" + printable(socket)
                            + "\" must be an absolute path of letters, digits, '.', '_', '-' and '/' without '..'"));
                } else if (socket.length() > MAX_SOCKET_PATH) {
                    out.add(new Violation(path + ".socketPath", "is " + socket.length()
                            + " characters; a unix socket path has at most " + MAX_SOCKET_PATH));
                } else {
                    Integer other = sockets.putIfAbsent(socket, i);
                    if (other != null) {
                        out.add(new Violation(path + ".socketPath", "\"" + socket + "\" is also the socket of spec.ports["
                                + other + "]"));
                    }
                }
            }
            if (port.getQueues() != null && (port.getQueues() < 1 || port.getQueues() > 16)) {
                out.add(new Violation(path + ".queues", "must be between 1 and 16, got " + port.getQueues()));
            }
            if (port.getMtu() != null && (port.getMtu() < 68 || port.getMtu() > 9710)) {
                out.add(new Violation(path + ".mtu", "must be between 68 and 9710, got " + port.getMtu()));
            }
        }
        return names;
    }

    private static void checkFlows(FlowSpec flows, Set<String> ports, List<Violation> out) {
        if (flows == null) {
            return;
        }
        FlowSpec.Mode mode = flows.getMode() == null ? FlowSpec.Mode.NORMAL : flows.getMode();
        List<FlowSpec.PortPair> pairs = flows.getPairs() == null ? List.of() : flows.getPairs();
        if (mode == FlowSpec.Mode.NORMAL) {
            if (!pairs.isEmpty()) {
                out.add(new Violation("spec.flows.pairs", "pairs apply only to mode port-pairs; mode is normal"));
            }
            return;
        }
        if (pairs.isEmpty()) {
            out.add(new Violation("spec.flows.pairs", "mode port-pairs needs at least one pair"));
        }
        Map<String, Integer> used = new HashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            FlowSpec.PortPair pair = pairs.get(i);
            String path = "spec.flows.pairs[" + i + "]";
            if (pair == null) {
                out.add(new Violation(path, "must not be null"));
                continue;
            }
            checkPairEnd(pair.getA(), path + ".a", ports, used, i, out);
            checkPairEnd(pair.getB(), path + ".b", ports, used, i, out);
            if (pair.getA() != null && pair.getA().equals(pair.getB())) {
                out.add(new Violation(path + ".b", "a pair needs two different ports, both are \"" + pair.getA() + "\""));
            }
        }
    }

    private static void checkPairEnd(String port, String path, Set<String> ports, Map<String, Integer> used, int pair,
                                     List<Violation> out) {
        if (port == null || port.isEmpty()) {
            out.add(new Violation(path, "is required"));
        } else if (!ports.contains(port)) {
            out.add(new Violation(path, "\"" + printable(port) + "\" is not a port of this bridge"));
        } else {
            Integer other = used.putIfAbsent(port, pair);
            if (other != null && other != pair) {
                out.add(new Violation(path, "\"" + port + "\" is already in spec.flows.pairs[" + other
                        + "]; a port can be in one pair only"));
            }
        }
    }

    /** Control characters would break a one-line condition message. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(120).forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
