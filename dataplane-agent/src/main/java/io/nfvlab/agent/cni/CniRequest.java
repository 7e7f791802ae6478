package io.nfvlab.agent.cni;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One invocation: the CNI_* environment and the network configuration from stdin, validated. Accepts the shape of
 * Intel's userspace CNI ({@code host.engine: ovs-dpdk}, {@code host.iftype: vhostuser}, {@code host.netType: bridge},
 * {@code host.bridge.bridgeName}, {@code container.vhost.mode}, {@code ipam}).
 */
public record CniRequest(String command, String containerId, String netns, String ifname, String cniPath,
                         String cniVersion, String network, Map<String, Object> config, String bridge,
                         boolean ovsClientMode, String sharedRoot, String stateDir, Map<String, Object> ipam,
                         String podNamespace, String podName, String execPath) {
    public static final List<String> COMMANDS = List.of("ADD", "DEL", "CHECK", "VERSION", "STATUS", "GC");
    public static final List<String> SUPPORTED_VERSIONS = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
    public static final String LATEST_VERSION = "1.1.0";
    public static final String DEFAULT_SHARED_ROOT = "/var/run/nfvlab/cni/vhostuser";
    public static final String DEFAULT_STATE_DIR = "/var/lib/cni/nfvlab";
    /** PATH of delegated (IPAM) plugins when the invocation brings none: the agent never passes on its own. */
    static final String DEFAULT_EXEC_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
    /** CNI 1.1: alphanumeric start, then alphanumerics, '_', '.', '-'. */
    static final Pattern CONTAINER_ID = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
    static final Pattern BRIDGE = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]{0,14}$");
    static final Pattern NETWORK = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
    /** The IPAM plugins whose data directory is confined to the agent's IPAM root. */
    static final List<String> SUPPORTED_IPAM = List.of("host-local");
    static final Pattern PLUGIN_TYPE = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]{0,63}$");
    static final Pattern SAFE_DIR = Pattern.compile("^/[A-Za-z0-9._/-]{1,200}$");
    static final Pattern K8S_NAME = Pattern.compile("^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$");
    static final int MAX_CONFIG_BYTES = 1 << 20;

    /**
     * Parses the environment and stdin; throws a CniException with the spec's code naming what is wrong. The
     * environment is the invocation's (in the agent: what the executable forwarded), never read from the process.
     */
    public static CniRequest parse(Map<String, String> env, String stdin) throws CniException {
        return parse(env, stdin, CniRoots.DEFAULT);
    }

    /** As {@link #parse(Map, String)}, with {@code sharedDir}, {@code stateDir} and {@code ipam.dataDir} confined to the agent's roots. */
    public static CniRequest parse(Map<String, String> env, String stdin, CniRoots roots) throws CniException {
        String command = env.get("CNI_COMMAND");
        if (command == null || command.isEmpty()) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_COMMAND is not set");
        }
        if (!COMMANDS.contains(command)) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_COMMAND \"" + clip(command)
                    + "\" is not one of ADD, DEL, CHECK, VERSION, STATUS, GC");
        }
        if (command.equals("VERSION")) {
            return new CniRequest(command, null, null, null, null, versionOf(stdin), null, Map.of(), null, true,
                    null, null, null, null, null, null);
        }
        Map<String, Object> config = config(stdin);
        String cniVersion = string(config, "cniVersion", true, "cniVersion");
        if (!SUPPORTED_VERSIONS.contains(cniVersion)) {
            throw new CniException(CniException.INCOMPATIBLE_VERSION, "cniVersion " + clip(cniVersion)
                    + " is not supported (supported: " + String.join(", ", SUPPORTED_VERSIONS) + ")");
        }
        String network = string(config, "name", true, "name");
        if (!NETWORK.matcher(network).matches() || network.length() > 253) {
            throw new CniException(CniException.INVALID_NETWORK_CONFIG, "name \"" + clip(network)
                    + "\" must start with a letter or digit and contain only letters, digits, '_', '.', '-'");
        }
        string(config, "type", true, "type");
        Map<String, Object> host = object(config, "host", true);
        Map<String, Object> container = object(config, "container", false);
        String engine = string(host, "engine", true, "host.engine");
        if (!engine.equals("ovs-dpdk")) {
            throw new CniException(CniException.INVALID_NETWORK_CONFIG, "host.engine \"" + clip(engine)
                    + "\" is not supported: only ovs-dpdk");
        }
        String iftype = string(host, "iftype", false, "host.iftype");
        if (iftype != null && !iftype.equals("vhostuser")) {
            throw new CniException(CniException.INVALID_NETWORK_CONFIG, "host.iftype \"" + clip(iftype) + "\" is not supported: only vhostuser");
        }
        String netType = string(host, "netType", false, "host.netType");
        if (netType != null && !netType.equals("bridge")) {
            throw new CniException(CniException.INVALID_NETWORK_CONFIG, "host.netType \"" + clip(netType) + "\" is not supported: only bridge");
        }
        Map<String, Object> bridgeConf = object(host, "bridge", false, "host.bridge");
        String bridge = bridgeConf == null ? null : string(bridgeConf, "bridgeName", false, "host.bridge.bridgeName");
        if (bridge == null) {
            throw new CniException(CniException.INVALID_NETWORK_CONFIG, "host.bridge.bridgeName is required");
        }
        if (!BRIDGE.matcher(bridge).matches()) {
            throw new CniException(CniException.INVALID_NETWORK_CONFIG, "host.bridge.bridgeName \"" + clip(bridge)
                    + "\" is not an OVS bridge name (letters, digits, '_', '.', '-', at most 15)");
        }
        if (container != null) {
            String cEngine = string(container, "engine", false, "container.engine");
            if (cEngine != null && !List.of("dpdk", "vpp", "ovs-dpdk").contains(cEngine)) {
                throw new CniException(CniException.INVALID_NETWORK_CONFIG, "container.engine \"" + clip(cEngine) + "\" is not one of dpdk, vpp");
            }
            String cIftype = string(container, "iftype", false, "container.iftype");
            if (cIftype != null && !cIftype.equals("vhostuser")) {
                throw new CniException(CniException.INVALID_NETWORK_CONFIG, "container.iftype \"" + clip(cIftype) + "\" is not supported: only vhostuser");
            }
        }
        String hostMode = mode(host, "host.vhost.mode");
        String containerMode = container == null ? null : mode(container, "container.vhost.mode");
        if (hostMode != null && containerMode != null && hostMode.equals(containerMode)) {
            throw new CniException(CniException.INVALID_NETWORK_CONFIG, "host.vhost.mode and container.vhost.mode are both "
                    + hostMode + ": one side must be the server");
        }
        // OVS as vhost client (dpdkvhostuserclient, the upstream-recommended mode) unless asked to serve
        boolean ovsClient = !"server".equals(hostMode) && !"client".equals(containerMode);
        String sharedRoot = CniRoots.confine("sharedDir", dir(config, "sharedDir", "sharedDir"), roots.shared());
        String stateDir = CniRoots.confine("stateDir", dir(config, "stateDir", "stateDir"), roots.state());
        Map<String, Object> ipam = object(config, "ipam", false);
        if (ipam != null && !ipam.isEmpty()) {
            String type = string(ipam, "type", true, "ipam.type");
            if (!PLUGIN_TYPE.matcher(type).matches()) {
                throw new CniException(CniException.INVALID_NETWORK_CONFIG, "ipam.type \"" + clip(type) + "\" is not a plugin name");
            }
            // another IPAM plugin's settings could name other places for it to write as root: only host-local's are known
            if (!SUPPORTED_IPAM.contains(type)) {
                throw new CniException(CniException.INVALID_NETWORK_CONFIG, "ipam.type \"" + clip(type) + "\" is not supported: only "
                        + String.join(", ", SUPPORTED_IPAM) + ", whose data directory the agent keeps below its IPAM root");
            }
            // host-local, as root, reads that file and copies its nameserver/search/options lines into the result,
            // which the runtime publishes to the pod's namespace: a tenant could read lines of any file on the node
            if (ipam.containsKey("resolvConf")) {
                throw new CniException(CniException.INVALID_NETWORK_CONFIG, "ipam.resolvConf is not supported: host-local would read "
                        + "that file as root on the node; give DNS settings in the network configuration's dns instead");
            }
            ipam = new LinkedHashMap<>(ipam);
            // explicit even when absent: host-local's own default need not be the agent's root
            ipam.put("dataDir", CniRoots.confine("ipam.dataDir", dir(ipam, "dataDir", "ipam.dataDir"), roots.ipam()));
        } else {
            ipam = null;
        }

        String containerId = env.get("CNI_CONTAINERID");
        String ifname = env.get("CNI_IFNAME");
        String netns = env.get("CNI_NETNS");
        String cniPath = env.get("CNI_PATH");
        if (!command.equals("STATUS") && !command.equals("GC")) {
            if (containerId == null || containerId.isEmpty()) {
                throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_CONTAINERID is not set");
            }
            if (!CONTAINER_ID.matcher(containerId).matches()) {
                throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_CONTAINERID \"" + clip(containerId)
                        + "\" must start with a letter or digit and contain only letters, digits, '_', '.', '-'");
            }
            if (ifname == null || ifname.isEmpty()) {
                throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_IFNAME is not set");
            }
            validIfname(ifname);
            if (command.equals("ADD") && (netns == null || netns.isEmpty())) {
                throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_NETNS is not set");
            }
            if (netns != null && !netns.isEmpty() && (!netns.startsWith("/") || netns.indexOf('\0') >= 0 || netns.length() > 4096)) {
                throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_NETNS \"" + clip(netns) + "\" is not an absolute path");
            }
        }
        if (ipam != null && !command.equals("STATUS") && (cniPath == null || cniPath.isEmpty())) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_PATH is not set: needed to find the ipam plugin "
                    + ipam.get("type"));
        }
        Map<String, String> args = cniArgs(env.get("CNI_ARGS"));
        String podNs = args.get("K8S_POD_NAMESPACE");
        String podName = args.get("K8S_POD_NAME");
        if (podNs != null && !K8S_NAME.matcher(podNs).matches() || podName != null && !K8S_NAME.matcher(podName).matches()) {
            podNs = null;
            podName = null;
        }
        return new CniRequest(command, containerId, netns, ifname, cniPath, cniVersion, network, config, bridge, ovsClient,
                sharedRoot, stateDir, ipam, podNs, podName, execPath(env.get("PATH")));
    }

    private static String execPath(String path) {
        return path == null || path.isEmpty() || path.indexOf('\0') >= 0 ? DEFAULT_EXEC_PATH : path;
    }

    /** Linux interface name rules, as the reference plugins check them. */
    static void validIfname(String ifname) throws CniException {
        if (ifname.length() > 15) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_IFNAME \"" + clip(ifname) + "\" is longer than 15 characters");
        }
        if (ifname.equals(".") || ifname.equals("..")) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_IFNAME must not be . or ..");
        }
        for (int i = 0; i < ifname.length(); i++) {
            char c = ifname.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c < 0x20 || c == 0x7f) {
                throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_IFNAME \"" + clip(ifname)
                        + "\" contains '/', ':', whitespace or a control character");
            }
        }
    }

    /** The cniVersion a configuration asks for, or the latest when it names none (VERSION needs no configuration). */
    static String versionOf(String stdin) {
        try {
            if (stdin != null && !stdin.isBlank() && Json.parse(stdin) instanceof Map<?, ?> m && m.get("cniVersion") instanceof String v) {
                return v;
            }
        } catch (Json.ParseException e) {
            // VERSION needs no configuration
        }
        return LATEST_VERSION;
    }

    /** The network configuration on stdin as a JSON object, within the size a configuration may have. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> config(String stdin) throws CniException {
        if (stdin == null || stdin.isBlank()) {
            throw new CniException(CniException.DECODE_FAILURE, "no network configuration on stdin");
        }
        if (stdin.length() > MAX_CONFIG_BYTES) {
            throw new CniException(CniException.DECODE_FAILURE, "network configuration is larger than 1 MiB");
        }
        Object parsed;
        try {
            parsed = Json.parse(stdin);
        } catch (Json.ParseException e) {
            throw new CniException(CniException.DECODE_FAILURE, "network configuration is not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map)) {
            throw new CniException(CniException.DECODE_FAILURE, "network configuration is not a JSON object");
        }
        return (Map<String, Object>) parsed;
    }

    private static String string(Map<String, Object> map, String key, boolean required, String field) throws CniException {
        Object v = map.get(key);
        if (v == null) {
            if (required) {
                throw new CniException(CniException.INVALID_NETWORK_CONFIG, field + " is required");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw new CniException(CniException.DECODE_FAILURE, field + " must be a string");
        }
        if (s.isEmpty() && required) {
            throw new CniException(CniException.INVALID_NETWORK_CONFIG, field + " must not be empty");
        }
        if (s.indexOf('\0') >= 0) {
            throw new CniException(CniException.INVALID_NETWORK_CONFIG, field + " contains a NUL character");
        }
        return s;
    }

    private static Map<String, Object> object(Map<String, Object> map, String key, boolean required) throws CniException {
        return object(map, key, required, key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> map, String key, boolean required, String field) throws CniException {
        Object v = map.get(key);
        if (v == null) {
            if (required) {
                throw new CniException(CniException.INVALID_NETWORK_CONFIG, field + " is required");
            }
            return null;
        }
        if (!(v instanceof Map)) {
            throw new CniException(CniException.DECODE_FAILURE, field + " must be an object");
        }
        return (Map<String, Object>) v;
    }

    private static String mode(Map<String, Object> side, String field) throws CniException {
        Map<String, Object> vhost = object(side, "vhost", false, field.substring(0, field.lastIndexOf('.')));
        String mode = vhost == null ? null : string(vhost, "mode", false, field);
        if (mode != null && !mode.equals("client") && !mode.equals("server")) {
            throw new CniException(CniException.INVALID_NETWORK_CONFIG, field + " \"" + clip(mode) + "\" is not client or server");
        }
        return mode;
    }

    /** A directory the configuration names (null: none), in the shape a path must have before it is compared with a root. */
    private static String dir(Map<String, Object> config, String key, String field) throws CniException {
        String value = string(config, key, false, field);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!SAFE_DIR.matcher(value).matches() || value.contains("..") || value.contains("//")) {
            throw new CniException(CniException.INVALID_NETWORK_CONFIG, field + " \"" + clip(value)
                    + "\" must be an absolute path of letters, digits, '.', '_', '-', '/' without '..'");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    /** CNI_ARGS: "K1=V1;K2=V2". */
    static Map<String, String> cniArgs(String args) {
        Map<String, String> out = new java.util.HashMap<>();
        if (args == null) {
            return out;
        }
        for (String kv : args.split(";")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                out.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return out;
    }

    /** User text inside an error message: at most 80 characters, control characters escaped. */
    static String clip(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return s.length() > 80 ? b + "…" : b.toString();
    }
}
