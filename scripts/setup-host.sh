#!/usr/bin/env bash
# Prepares this machine for nfvlab: Debian packages, hugepages, and OVS daemons (userspace datapath, DPDK enabled).
# Idempotent: does only what is missing. Needs root. Usage: scripts/setup-host.sh [--no-dpdk]
set -euo pipefail

want_dpdk=1
[ "${1:-}" = "--no-dpdk" ] && want_dpdk=0

say() { printf 'nfvlab setup: %s\n' "$*" >&2; }
. "$(dirname "$0")/lib/packages.sh"

if [ "$(id -u)" -ne 0 ]; then
    say "must run as root (network namespaces, OVS and hugepages need it); try: sudo $0"
    exit 77
fi

# gcc and libc6-dev build the CNI plugin's executable (cni-plugin/src/main/c, linked statically: libc.a);
# stress-ng loads a core in the pingall-under-load test (PingallTreeUnderLoadIT); podman (with runc) runs container
# hosts, and busybox-static is the tiny image the container-host tests make (ContainerHostsIT); graphviz's dot
# draws `nfvlab graph -o svg` (GraphCommandTest); prometheus is the only Debian package with promtool, which lints the
# /metrics names and the chart's alert rules (TrafficEndToEndIT, MonitoringChartTest); the package also brings a
# Prometheus server, which systemd would start: stopped below; libdpdk-dev and pkg-config build nfvlab-gen, the DPDK
# traffic generator (traffic-generator module)
packages=(iproute2 openvswitch-switch openvswitch-switch-dpdk dpdk-dev iperf3 iputils-ping fping ethtool
          containernetworking-plugins procps kmod gcc libc6-dev stress-ng podman runc busybox-static graphviz prometheus
          libdpdk-dev pkg-config)
had_prometheus=$(dpkg-query -W -f='${Status}' prometheus 2>/dev/null | grep -c "install ok installed" || true)
install_missing "${packages[@]}"
if [ "$had_prometheus" = 0 ] && [ -d /run/systemd/system ]; then
    # we wanted promtool, not a server listening on :9090
    systemctl disable --now prometheus.service >/dev/null 2>&1 || true
fi

# Mininet is only the peer the benchmarks compare with; install it on request.
if [ "${NFVLAB_WITH_MININET:-0}" = 1 ] && ! command -v mn >/dev/null; then
    say "installing mininet (benchmark peer)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mininet bridge-utils >/dev/null
fi

# The DPDK build of ovs-vswitchd also runs the plain userspace datapath, so one daemon serves every switch kind.
if [ $want_dpdk = 1 ]; then
    current=$(readlink -f /usr/sbin/ovs-vswitchd || true)
    if [ "$current" != /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk ]; then
        update-alternatives --set ovs-vswitchd /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk >/dev/null
        restart_ovs=1
    fi
    hp=$(cat /proc/sys/vm/nr_hugepages)
    if [ "$hp" -lt 1024 ]; then
        echo 1024 > /proc/sys/vm/nr_hugepages
        say "reserved $(cat /proc/sys/vm/nr_hugepages) hugepages of 2 MB (had $hp)"
    fi
    mountpoint -q /dev/hugepages || { mkdir -p /dev/hugepages; mount -t hugetlbfs nodev /dev/hugepages; }
fi

ovs_running() {
    timeout 3 ovs-vsctl --timeout=2 show >/dev/null 2>&1
}

if [ "${restart_ovs:-0}" = 1 ] && ovs_running; then
    /usr/share/openvswitch/scripts/ovs-ctl stop >/dev/null 2>&1 || true
fi
if ! ovs_running; then
    say "starting ovsdb-server and ovs-vswitchd"
    /usr/share/openvswitch/scripts/ovs-ctl start --system-id=random --no-monitor >/dev/null 2>&1 || \
        /usr/share/openvswitch/scripts/ovs-ctl start --system-id=random >/dev/null
fi
if [ $want_dpdk = 1 ]; then
    init=$(timeout 5 ovs-vsctl --timeout=3 get Open_vSwitch . other_config:dpdk-init 2>/dev/null || echo none)
    if [ "$init" != '"true"' ]; then
        say "enabling DPDK in ovs-vswitchd (socket-mem 512, lcore 0x1, pmd 0x2, --no-pci)"
        timeout 10 ovs-vsctl --timeout=5 --no-wait set Open_vSwitch . \
            other_config:dpdk-init=true other_config:dpdk-socket-mem=512 other_config:dpdk-lcore-mask=0x1 \
            other_config:pmd-cpu-mask=0x2 other_config:dpdk-extra="--no-pci"
        /usr/share/openvswitch/scripts/ovs-ctl --no-ovsdb-server --system-id=random restart >/dev/null 2>&1 || true
        for _ in $(seq 1 50); do
            ovs_running && break
            sleep 0.2
        done
    fi
    dpdk=$(timeout 5 ovs-vsctl --timeout=3 get Open_vSwitch . dpdk_initialized 2>/dev/null || echo false)
    [ "$dpdk" = true ] || say "warning: ovs-vswitchd did not initialize DPDK (see /var/log/openvswitch/ovs-vswitchd.log)"
fi
ovs_running || { say "OVS did not start; see /var/log/openvswitch/"; exit 1; }
say "ready: $(ovs-vswitchd --version | head -1), hugepages $(cat /proc/sys/vm/nr_hugepages)"
