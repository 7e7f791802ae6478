package io.nfvlab.api.node;

/**
 * The programs a node runs for nfvlab, with the Debian package that brings each: the agent names the package when a
 * job finds a program missing, and {@code nfvlab run} checks them before it builds anything. One mapping for both.
 */
public enum Tool {
    IP("ip", "iproute2"),
    TC("tc", "iproute2"),
    PING("ping", "iputils-ping"),
    FPING("fping", "fping"),
    IPERF3("iperf3", "iperf3"),
    DPDK_TESTPMD("dpdk-testpmd", "dpdk-dev"),
    OVS_VSCTL("ovs-vsctl", "openvswitch-switch"),
    ETHTOOL("ethtool", "ethtool");

    private final String program;
    private final String debianPackage;

    Tool(String program, String debianPackage) {
        this.program = program;
        this.debianPackage = debianPackage;
    }

    public String program() {
        return program;
    }

    public String debianPackage() {
        return debianPackage;
    }

    /** One line for a Failed job: which program is missing and which package brings it. */
    public String missingMessage() {
        return program + " is not installed on this node (install the Debian package " + debianPackage + ")";
    }
}
