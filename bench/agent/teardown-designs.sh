#!/usr/bin/env bash
# Teardown designs measured with the kernel alone (no agent): what deleting the objects of a linear,N topology with
# Linux bridges costs when they live where the agent puts them today, and when the switch side lives in a network
# namespace of its own that is deleted in one step. Prints one table; asserts nothing. Root; touches only objects
# named with the prefix below (created and removed here), never anything else.
#
# usage: sudo bench/agent/teardown-designs.sh [--hosts N] [--runs R]
set -euo pipefail

hosts=100
runs=3
while [ $# -gt 0 ]; do
    case $1 in
        --hosts) hosts=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        *) echo "usage: $0 [--hosts N] [--runs R]" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" -eq 0 ] || { echo "needs root" >&2; exit 77; }

p=tdz$$             # every name starts with this: tdz<pid>b<i> (bridge), …h/s (host veth), …l/m (switch link)
[ ${#p} -le 9 ] || p=tdz$((RANDOM))
swns=${p}-sw        # the switch namespace of the namespace design
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }

cleanup() {
    for n in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^${p}" || true); do ip netns del "$n" 2>/dev/null || true; done
    ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep "^${p}" | while read -r l; do ip link del "$l" 2>/dev/null || true; done
}
trap cleanup EXIT

# Hosts in their own namespaces (as the agent builds them); bridges, switch-side veth ends and switch-to-switch
# links in the namespace given (empty: the root namespace).
build() {
    local where=$1 i
    for i in $(seq 1 "$hosts"); do ip netns add "${p}-h$i"; done
    {
        for i in $(seq 1 "$hosts"); do
            echo "link add ${p}b$i type bridge"
            echo "link add ${p}s$i type veth peer name ${p}h$i netns ${p}-h$i"
            echo "link set ${p}s$i master ${p}b$i up"
            echo "link set ${p}b$i up"
        done
        for i in $(seq 1 $((hosts - 1))); do
            echo "link add ${p}l$i type veth peer name ${p}m$i"
            echo "link set ${p}l$i master ${p}b$i up"
            echo "link set ${p}m$i master ${p}b$((i + 1)) up"
        done
    } | if [ -z "$where" ]; then ip -batch -; else ip -n "$where" -batch -; fi
}

# How long the root namespace's rtnl lock stays busy after a step returned: one dummy link added and removed.
rtnl_free_after() {
    local t0=$1
    ip link add "${p}probe" type veth peer name "${p}probf"
    ip link del "${p}probe"
    since "$t0"
}

delete_hosts() {
    local i
    for i in $(seq 1 "$hosts"); do ip netns del "${p}-h$i"; done
}

printf '%-50s %8s %10s %11s %12s\n' "linear,$hosts: $hosts bridges, $((2 * hosts - 1)) veth pairs" "hosts" "switches" "rtnl free" "kernel done"
for run in $(seq 1 "$runs"); do
    # 1. today: host namespaces deleted, then bridges and veths in the root namespace deleted in one `ip -batch`
    build ""
    t0=$(now)
    delete_hosts
    hosts_s=$(since "$t0")
    t1=$(now)
    {
        for i in $(seq 1 "$hosts"); do echo "link del ${p}b$i"; done
        for i in $(seq 1 $((hosts - 1))); do echo "link del ${p}l$i"; done
    } | ip -force -batch - 2>/dev/null || true
    back=$(since "$t1"); free=$(rtnl_free_after "$t1")
    printf '%-50s %7.2fs %9.2fs %10.2fs %11.2fs\n' "root namespace, one ip -batch (today's agent)" "$hosts_s" "$back" "$free" "$back"
    sleep 1

    # 2. the switch side in a namespace of its own, removed with everything in it by one `ip netns del`. A veth pair
    # with one end in the root namespace marks the kernel's progress: the namespace's devices are unregistered in
    # one batch, that end with them.
    ip netns add "$swns"
    build "$swns"
    ip link add "${p}w" type veth peer name "${p}x" netns "$swns"
    t0=$(now)
    delete_hosts
    hosts_s=$(since "$t0")
    t1=$(now)
    ip netns del "$swns"
    back=$(since "$t1")
    while ip link show "${p}w" >/dev/null 2>&1; do sleep 0.01; done
    gone=$(since "$t1"); free=$(rtnl_free_after "$t1")
    printf '%-50s %7.2fs %9.2fs %10.2fs %11.2fs\n' "switch namespace, one ip netns del" "$hosts_s" "$back" "$free" "$gone"
    sleep 2
done
