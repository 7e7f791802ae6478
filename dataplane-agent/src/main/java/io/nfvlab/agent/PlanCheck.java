package io.nfvlab.agent;

import io.nfvlab.agent.ovsdpdk.VhostSockets;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.bridge.VhostUserPort;
import io.nfvlab.api.node.Endpoint;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.ArpEntry;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.PlannedDpdkBridge;
import io.nfvlab.api.node.PlannedHost;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.node.PlannedSwitch;
import io.nfvlab.api.node.PlannedTunnel;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.validation.TrafficTestValidator;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.Names;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.SwitchSpec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The agent runs as root and a NetworkNodeState is only as trustworthy as whoever could write it: before anything is
 * created or deleted the whole plan is checked against what the planner would have produced. The owner's token must
 * be one of the owner's own candidates ({@link KernelNames#tokenCandidates}) and kernel names are re-derived from it,
 * every path the agent creates or deletes must sit under the agent's own root, and every address must be an IP
 * literal (parsed without a name lookup), so that no field can name another owner's objects, a file elsewhere on the
 * node, or an option of the tools the agent runs.
 */
public final class PlanCheck {
    /** Reason of the Synced=False condition of a refused plan. */
    public static final String REASON_REFUSED = "PlanRefused";
    /** Everything the agent creates or deletes on the node's filesystem lives below this directory. */
    public static final Path DEFAULT_ROOT = Path.of("/var/run/nfvlab");

    private static final Pattern TOKEN = Pattern.compile("^[0-9a-f]{" + KernelNames.TOKEN_LENGTH + "}$");
    private static final Pattern NODE = Pattern.compile(Names.NODE_NAME_PATTERN);
    private static final Pattern KIND = Pattern.compile("^[A-Z][A-Za-z0-9]{0,62}$");
    // DNS subdomain: object names and Kubernetes node names
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");
    private static final Pattern OVS_NAME = Pattern.compile("^[a-z][a-z0-9-]{0,14}$");
    private static final Pattern MAC = Pattern.compile(Names.UNICAST_MAC_PATTERN);
    private static final Pattern IPV4 = Pattern.compile("^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
            + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$");
    private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9a-fA-F:.]{2,45}$");
    private static final Pattern DURATION = Pattern.compile(LinkParams.DURATION);
    private static final Pattern CONTROLLER = Pattern.compile(SwitchSpec.CONTROLLER_PATTERN);

    /** Why a plan was refused: the offending field (a path into the spec) and what is wrong with it. */
    public record Refusal(String field, String message) {
        public String describe() {
            return field + ": " + message;
        }
    }

    /** Thrown inside the check; the first refusal ends it. */
    private static final class Refused extends RuntimeException {
        final Refusal refusal;

        Refused(String field, String message) {
            super(field + ": " + message, null, false, false);
            this.refusal = new Refusal(field, message);
        }
    }

    private final Path root;
    private String token;
    private final Set<String> bridges = new HashSet<>();

    private PlanCheck(Path root) {
        this.root = root;
    }

    /** The first thing wrong with {@code state}'s plan, or null when the agent may act on it. */
    public static Refusal check(NetworkNodeState state, Path root) {
        try {
            new PlanCheck(root).spec(state.getSpec());
            return null;
        } catch (Refused r) {
            return r.refusal;
        }
    }

    /** Only the owner: whether the state's token is one its owner may hold (with {@link TokenHolders}, teardown by token is then safe). */
    public static Refusal checkOwner(NetworkNodeState state) {
        try {
            new PlanCheck(DEFAULT_ROOT).owner(state.getSpec() == null ? null : state.getSpec().getOwner());
            return null;
        } catch (Refused r) {
            return r.refusal;
        }
    }

    private void spec(NetworkNodeStateSpec spec) {
        if (spec == null) {
            throw new Refused("spec", "is missing");
        }
        owner(spec.getOwner());
        // bridges first: link and tunnel ends must be ports of a bridge this plan builds
        List<PlannedSwitch> switches = spec.switchesOrEmpty();
        for (int i = 0; i < switches.size(); i++) {
            switchOf(switches.get(i), "spec.switches[" + i + "]");
        }
        List<PlannedHost> hosts = spec.hostsOrEmpty();
        for (int i = 0; i < hosts.size(); i++) {
            host(hosts.get(i), "spec.hosts[" + i + "]");
        }
        List<PlannedLink> links = spec.linksOrEmpty();
        for (int i = 0; i < links.size(); i++) {
            link(links.get(i), "spec.links[" + i + "]");
        }
        List<PlannedTunnel> tunnels = spec.tunnelsOrEmpty();
        for (int i = 0; i < tunnels.size(); i++) {
            tunnel(tunnels.get(i), "spec.tunnels[" + i + "]");
        }
        List<PlannedDpdkBridge> dpdk = spec.dpdkBridgesOrEmpty();
        for (int i = 0; i < dpdk.size(); i++) {
            dpdkBridge(dpdk.get(i), "spec.dpdkBridges[" + i + "]");
        }
        List<TrafficJob> jobs = spec.trafficJobsOrEmpty();
        for (int i = 0; i < jobs.size(); i++) {
            job(jobs.get(i), "spec.trafficJobs[" + i + "]");
        }
        List<ArpEntry> arp = spec.staticArpOrEmpty();
        for (int i = 0; i < arp.size(); i++) {
            ArpEntry e = arp.get(i);
            String f = "spec.staticArp[" + i + "]";
            require(e.getHost(), NODE, f + ".host");
            ip(e.getAddress(), f + ".address");
            mac(e.getMac(), f + ".mac");
        }
    }

    private void owner(OwnerRef owner) {
        if (owner == null) {
            throw new Refused("spec.owner", "is missing");
        }
        require(owner.getKind(), KIND, "spec.owner.kind");
        require(owner.getName(), DNS_SUBDOMAIN, "spec.owner.name");
        if (owner.getNamespace() != null) {
            require(owner.getNamespace(), DNS_SUBDOMAIN, "spec.owner.namespace");
        }
        require(owner.getToken(), TOKEN, "spec.owner.token");
        // the operator allocates one of the owner's candidates; which one only the API server's record knows, but
        // any other token is not this owner's (the agent's TokenHolders keeps two owners off one token on the node)
        List<String> candidates = KernelNames.tokenCandidates(owner.getKind(), owner.getNamespace(), owner.getName());
        if (!candidates.contains(owner.getToken())) {
            throw new Refused("spec.owner.token", "\"" + clip(owner.getToken()) + "\" is not a token of "
                    + owner.getKind() + " " + owner.getNamespace() + "/" + owner.getName() + " (its " + candidates.size()
                    + " candidates start " + candidates.get(0) + ")");
        }
        token = owner.getToken();
    }

    private void switchOf(PlannedSwitch s, String field) {
        require(s.getName(), NODE, field + ".name");
        if (s.getKind() == SwitchKind.OVS_DPDK) {
            // the DpdkBridge's own bridge, named by its (other) owner: only its shape can be checked
            require(s.getDevice(), OVS_NAME, field + ".device");
            if (s.getDpdkBridge() != null) {
                require(s.getDpdkBridge(), DNS_SUBDOMAIN, field + ".dpdkBridge");
            }
        } else {
            derived(s.getDevice(), Pattern.compile("^" + KernelNames.ROOT_PREFIX + token + "b[0-9]{1,5}$"), field + ".device",
                    KernelNames.ROOT_PREFIX + token + "b<index>");
            if (s.getDevice().length() > 15) {
                throw new Refused(field + ".device", "is longer than 15 characters");
            }
        }
        if (s.getController() != null) {
            require(s.getController(), CONTROLLER, field + ".controller");
        }
        bridges.add(s.getDevice());
    }

    /** Hosts of this plan that are containers (checked before the links that end at them). */
    private final Set<String> containerHosts = new HashSet<>();

    private static void refuseIf(Refusal r) {
        if (r != null) {
            throw new Refused(r.field(), r.message());
        }
    }

    private void host(PlannedHost h, String field) {
        require(h.getName(), NODE, field + ".name");
        if (h.isVhostUserHost()) {
            if (h.getNetns() != null) {
                throw new Refused(field + ".netns", "a vhostUser host has no namespace");
            }
        } else {
            equal(h.getNetns(), KernelNames.hostNetns(token, h.getName()), field + ".netns");
        }
        if (h.isContainerHost()) {
            containerHosts.add(h.getName());
            refuseIf(ContainerPlanCheck.check(h.getContainer(), field + ".container"));
        }
        if (h.getDefaultGateway() != null) {
            ip(h.getDefaultGateway(), field + ".defaultGateway");
        }
        Set<String> interfaces = new HashSet<>();
        List<PlannedHost.PlannedInterface> list = h.interfacesOrEmpty();
        for (int i = 0; i < list.size(); i++) {
            PlannedHost.PlannedInterface intf = list.get(i);
            String f = field + ".interfaces[" + i + "]";
            if (h.isContainerHost()) {
                refuseIf(ContainerPlanCheck.device(intf.getName(), f + ".name"));
            } else {
                hostInterface(intf.getName(), h.getName(), f + ".name");
            }
            if (intf.getAddress() != null) {
                cidr(intf.getAddress(), f + ".address");
            }
            if (intf.getMac() != null) {
                mac(intf.getMac(), f + ".mac");
            }
            interfaces.add(intf.getName());
        }
        if (h.getDefaultRoute() != null && !interfaces.contains(h.getDefaultRoute())) {
            throw new Refused(field + ".defaultRoute", "\"" + clip(h.getDefaultRoute()) + "\" is not an interface of " + h.getName());
        }
    }

    private void link(PlannedLink l, String field) {
        linkId(l.getId(), field + ".id");
        endpoint(l.getA(), field + ".a");
        endpoint(l.getB(), field + ".b");
        params(l.getParams(), field + ".params");
    }

    private void tunnel(PlannedTunnel t, String field) {
        linkId(t.getId(), field + ".id");
        if (t.getVni() == null || t.getVni() < 1 || t.getVni() > 0xFFFFFF) {
            throw new Refused(field + ".vni", "must be 1..16777215");
        }
        if (t.getDstPort() != null && (t.getDstPort() < 1 || t.getDstPort() > 65535)) {
            throw new Refused(field + ".dstPort", "must be 1..65535");
        }
        ip(t.getLocalAddress(), field + ".localAddress");
        ip(t.getRemoteAddress(), field + ".remoteAddress");
        if (t.getPeerNode() != null) {
            require(t.getPeerNode(), DNS_SUBDOMAIN, field + ".peerNode");
        }
        endpoint(t.getEndpoint(), field + ".endpoint");
        params(t.getParams(), field + ".params");
    }

    private void endpoint(Endpoint e, String field) {
        if (e == null) {
            throw new Refused(field, "is missing");
        }
        require(e.getNode(), NODE, field + ".node");
        hostInterface(e.getInterfaceName(), e.getNode(), field + ".interfaceName");
        if (e.getMac() != null) {
            mac(e.getMac(), field + ".mac");
        }
        if (e.isHostEnd()) {
            equal(e.getNetns(), KernelNames.hostNetns(token, e.getNode()), field + ".netns");
            // a container's end is eth<port> inside it (its own eth0 is the runtime's), a namespace host's is h1-eth<port>
            equal(e.getDevice(), containerHosts.contains(e.getNode())
                    ? "eth" + e.getInterfaceName().substring(e.getNode().length() + 4) : e.getInterfaceName(), field + ".device");
            if (e.getBridge() != null) {
                throw new Refused(field + ".bridge", "a host end is no bridge port");
            }
            if (e.isVhostUser()) {
                throw new Refused(field + ".vhostUserSocket", "a host end in a namespace has no vhost-user socket");
            }
            return;
        }
        derived(e.getDevice(), Pattern.compile("^" + KernelNames.ROOT_PREFIX + token + "[0-9]{1,5}[ab]$"), field + ".device",
                KernelNames.ROOT_PREFIX + token + "<link index><a|b>");
        if (e.getDevice().length() > 15) {
            throw new Refused(field + ".device", "is longer than 15 characters");
        }
        if (!bridges.contains(e.getBridge())) {
            throw new Refused(field + ".bridge", "\"" + clip(e.getBridge()) + "\" is not a switch of this plan");
        }
        if (e.isVhostUser()) {
            Path expected = root.resolve("dpdk").resolve(e.getBridge()).resolve(e.getDevice() + ".sock");
            equal(e.getVhostUserSocket(), expected.toString(), field + ".vhostUserSocket");
        }
    }

    private void dpdkBridge(PlannedDpdkBridge b, String field) {
        require(b.getName(), DNS_SUBDOMAIN, field + ".name");
        if (b.getSpec() == null) {
            throw new Refused(field + ".spec", "is missing");
        }
        require(b.getSpec().getBridgeName(), OVS_NAME, field + ".spec.bridgeName");
        Path expected = root.resolve("dpdk").resolve(b.getSpec().getBridgeName());
        // the agent creates this directory and deletes sockets in it: only the one the planner derives will do
        Path dir;
        try {
            dir = VhostSockets.socketDir(b);
        } catch (InvalidPathException e) {
            dir = null;
        }
        if (!expected.equals(dir)) {
            throw new Refused(field + ".socketDir", "\"" + clip(b.getSocketDir()) + "\" is not " + expected
                    + " (the agent creates and deletes only under " + root + ")");
        }
        List<VhostUserPort> ports = b.getSpec().getPorts() == null ? List.of() : b.getSpec().getPorts();
        for (int i = 0; i < ports.size(); i++) {
            VhostUserPort p = ports.get(i);
            String f = field + ".spec.ports[" + i + "]";
            require(p.getName(), OVS_NAME, f + ".name");
            if (p.getSocketPath() != null) {
                underRoot(p.getSocketPath(), f + ".socketPath");
            }
        }
    }

    private void job(TrafficJob j, String field) {
        if (j.getPort() != null && (j.getPort() < 1 || j.getPort() > 65535)) {
            throw new Refused(field + ".port", "must be 1..65535");
        }
        TrafficParameters params = j.getParameters();
        if (params != null && params.getCount() != null && (params.getCount() < 1
                || (params.getIntervalSec() != null && !(params.getIntervalSec() > 0))
                || TrafficTestValidator.echoSeconds(params.getCount(), params.getIntervalSec()) > TrafficTestSpec.MAX_ECHO_SECONDS)) {
            // a job that would echo for days holds its pairs' processes and the agent's attention as long
            throw new Refused(field + ".parameters.count", TrafficTestSpec.ECHO_TIME_MESSAGE);
        }
        List<TrafficJob.JobPair> pairs = j.pairsOrEmpty();
        for (int i = 0; i < pairs.size(); i++) {
            TrafficJob.JobPair p = pairs.get(i);
            String f = field + ".pairs[" + i + "]";
            // the hosts belong to the topology, not to the test that owns this state: any owner's token, but the
            // namespace must still be exactly the one KernelNames gives that host
            if (p.getSourceNetns() != null) {
                anyOwnersNetns(p.getSourceNetns(), p.getSource(), f + ".sourceNetns");
            }
            if (p.getDestinationNetns() != null) {
                anyOwnersNetns(p.getDestinationNetns(), p.getDestination(), f + ".destinationNetns");
            }
            if (p.getDestinationAddress() != null) {
                ip(p.getDestinationAddress(), f + ".destinationAddress");
            }
        }
        jobHosts(j.sourcesOrEmpty(), field + ".sources");
        jobHosts(j.destinationsOrEmpty(), field + ".destinations");
    }

    private static void jobHosts(List<TrafficJob.JobHost> hosts, String field) {
        for (int i = 0; i < hosts.size(); i++) {
            TrafficJob.JobHost h = hosts.get(i);
            String f = field + "[" + i + "]";
            require(h.getName(), NODE, f + ".name");
            if (h.getNetns() != null) {
                anyOwnersNetns(h.getNetns(), h.getName(), f + ".netns");
            }
            if (h.getAddress() != null) {
                ip(h.getAddress(), f + ".address");
            }
        }
    }

    private static void anyOwnersNetns(String netns, String host, String field) {
        if (host == null || !NODE.matcher(host).matches()) {
            // the field's name is worked out only for the refusal: this runs for every host of every traffic job
            require(host, NODE, field.replaceFirst("Netns$", ""));
        }
        String owner = KernelNames.tokenOfNetns(netns);
        if (owner == null || !TOKEN.matcher(owner).matches() || !netns.equals(KernelNames.hostNetns(owner, host))) {
            throw new Refused(field, "\"" + clip(netns) + "\" is not " + Nfvlab.NETNS_PREFIX + "<token>-" + host);
        }
    }

    private static void params(LinkParams p, String field) {
        if (p == null) {
            return;
        }
        if (p.getDelay() != null) {
            require(p.getDelay(), DURATION, field + ".delay");
        }
        if (p.getJitter() != null) {
            require(p.getJitter(), DURATION, field + ".jitter");
        }
    }

    /** An interface inside a host namespace keeps its Mininet name: {@code <node>-eth<port>}. */
    private static void hostInterface(String name, String node, String field) {
        if (name == null || node == null || !name.startsWith(node + "-eth") || name.length() > 15
                || !name.substring(node.length() + 4).matches("[0-9]{1,4}")) {
            throw new Refused(field, "\"" + clip(name) + "\" is not " + node + "-eth<port>");
        }
    }

    private static void linkId(String id, String field) {
        int tilde = id == null ? -1 : id.indexOf('~');
        if (tilde < 0 || id.length() > 31 || !id.substring(0, tilde).matches("[a-z0-9-]{1,15}")
                || !id.substring(tilde + 1).matches("[a-z0-9-]{1,15}")) {
            throw new Refused(field, "\"" + clip(id) + "\" is not <interface>~<interface>");
        }
    }

    private void underRoot(String path, String field) {
        Path p;
        try {
            p = Path.of(path);
        } catch (InvalidPathException e) {
            throw new Refused(field, "is not a path");
        }
        if (!p.isAbsolute() || !p.normalize().equals(p) || path.contains("/../") || path.endsWith("/..")
                || !p.startsWith(root) || p.equals(root)) {
            throw new Refused(field, "\"" + clip(path) + "\" is not below " + root);
        }
    }

    private static void cidr(String text, String field) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        int bits = ip(address, field);
        if (slash >= 0) {
            String prefix = text.substring(slash + 1);
            if (!prefix.matches("[0-9]{1,3}") || Integer.parseInt(prefix) > bits) {
                throw new Refused(field, "\"" + clip(text) + "\" has no valid prefix length");
            }
        }
    }

    /**
     * An IP literal, never a name: IPv4 by a strict pattern; IPv6 only from hex digits, colons and dots, which
     * InetAddress parses as a literal (with a colon it refuses rather than resolving). Returns the address's bits.
     */
    static int ip(String text, String field) {
        if (text != null && IPV4.matcher(text).matches()) {
            return 32;
        }
        if (text != null && text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches()) {
            try {
                if (InetAddress.getByName(text).getAddress().length == 16) {
                    return 128;
                }
            } catch (UnknownHostException e) {
                // falls through to the refusal
            }
        }
        throw new Refused(field, "\"" + clip(text) + "\" is not an IP address");
    }

    private static void require(String value, Pattern pattern, String field) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new Refused(field, value == null ? "is missing" : "\"" + clip(value) + "\" is not allowed here");
        }
    }

    /** A MAC Linux gives an interface: unicast and not all zero. */
    private static void mac(String value, String field) {
        require(value, MAC, field);
        if (Names.isAllZeroMac(value)) {
            throw new Refused(field, "\"" + value + "\" is the all-zero address, which Linux refuses on an interface");
        }
    }

    private static void derived(String value, Pattern pattern, String field, String shape) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new Refused(field, "\"" + clip(value) + "\" is not " + shape + " (derived from the owner's token)");
        }
    }

    private static void equal(String value, String expected, String field) {
        if (!expected.equals(value)) {
            throw new Refused(field, "\"" + clip(value) + "\" is not " + expected);
        }
    }

    private static String clip(String s) {
        if (s == null) {
            return "null";
        }
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 64 ? printable.substring(0, 64) + "…" : printable;
    }
}
