#!/usr/bin/env bash
# How close nfvlab-gen's achieved rate comes to the requested one (64-byte frames), printed as a table. Paths:
#   alone:    the generator on DPDK's null PMD, which takes every frame at once: its own pacing, no DUT, no return;
#   loopback: generator -> OVS-DPDK bridge, hairpin flow (in_port=a actions=in_port) -> back: the generator and OVS's
#             PMD only, the cheapest DUT there is;
#   bridge:   generator port a -> OVS-DPDK bridge (NORMAL, two ports: it floods to b) -> generator port b: nfvlab-gen
#             sends on one vhost-user port and counts on the other (--rx-socket), so the bridge itself is the device
#             under test, two pollers in all (rfc2544's dutMode bridge);
#   testpmd:  generator -> OVS-DPDK (port-to-port flows) -> dpdk-testpmd macswap on the second port -> back;
#   vhost:    generator -> dpdk-testpmd's own vhost-user port (net_vhost, io forwarding back out of it), no OVS: the
#             cheaper loopback, where the generator's pacing and not OVS's PMD is what is measured.
# On two cores the generator (lcore 0) shares CPU 0 with testpmd's forwarding lcore, and OVS's PMD has CPU 1; other
# processes on the machine take from both: the load average is printed with the table. Asserts nothing.
# Root; OVS-DPDK and hugepages as scripts/setup-host.sh leaves them. Everything it makes is named nvgenb* and removed.
# Usage: bench/dpdk/generator-accuracy.sh [--rates "0.1 0.5 1 2 5 10"] [--seconds 3] [--paths "alone loopback bridge testpmd vhost"]
set -euo pipefail
cd "$(dirname "$0")/../.."
rates="0.1 0.5 1 2 5 10"
seconds=3
paths="alone loopback bridge testpmd vhost"
while [ $# -gt 0 ]; do
    case $1 in
        --rates) rates=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --paths) paths=$2; shift 2 ;;
        *) echo "usage: $0 [--rates \"0.1 0.5 1 2 5 10\"] [--seconds N] [--paths \"alone loopback bridge testpmd vhost\"]" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" -eq 0 ] || { echo "generator-accuracy: needs root (OVS-DPDK ports, hugepages)" >&2; exit 77; }
[ "$(timeout 10 ovs-vsctl --timeout=5 get Open_vSwitch . dpdk_initialized 2>/dev/null)" = true ] \
    || { echo "generator-accuracy: needs ovs-vswitchd with DPDK initialized (scripts/setup-host.sh)" >&2; exit 1; }

br=nvgenb0
work=$(mktemp -d /tmp/nvgenb.XXXXXX)
dut_pid=""
cleanup() {
    [ -n "$dut_pid" ] && kill -INT "$dut_pid" 2>/dev/null && wait "$dut_pid" 2>/dev/null || true
    timeout 20 ovs-vsctl --timeout=10 --if-exists del-br "$br" || true
    rm -rf "$work"
    # testpmd leaves its (empty) EAL runtime directory even with --in-memory; nfvlab-gen removes its own
    rmdir /var/run/dpdk/nvgenb-dut /var/run/dpdk/nvgenb-vh 2>/dev/null || true
}
trap cleanup EXIT

bash traffic-generator/src/main/sh/build-nfvlab-gen.sh traffic-generator/src/main/c/nfvlab-gen.c "$work/nfvlab-gen"
timeout 20 ovs-vsctl --timeout=10 -- --if-exists del-br $br -- add-br $br -- set Bridge $br datapath_type=netdev \
    external_ids:nfvlab-bench=generator-accuracy \
    -- add-port $br ${br}a -- set Interface ${br}a type=dpdkvhostuserclient options:vhost-server-path="$work/a.sock" \
    -- add-port $br ${br}b -- set Interface ${br}b type=dpdkvhostuserclient options:vhost-server-path="$work/b.sock"

# one generator run at R Mpps; prints a table row
measure() {
    local path=$1 mpps=$2 pps json port=(--socket "$work/a.sock" --vhost-role serve)
    [ "$path" = vhost ] && port=(--socket "$work/v.sock" --vhost-role connect)
    [ "$path" = alone ] && port=(--port null)
    [ "$path" = bridge ] && port+=(--rx-socket "$work/b.sock")
    pps=$(python3 -c "print(int($mpps * 1e6))")
    json=$("$work/nfvlab-gen" "${port[@]}" --src-mac 02:00:00:00:0b:01 --dst-mac 02:00:00:00:0b:02 \
        --frame-size 64 --rate "$pps" --duration-ms $((seconds * 1000)) --drain-ms 500 --warmup-ms 5000 \
        --file-prefix nvgenb-gen --lcore 0 2>"$work/gen.err" || true)
    if [ -z "$json" ]; then
        printf "%-9s %9s  failed: %s\n" "$path" "$mpps" "$(tail -1 "$work/gen.err")"
        return
    fi
    python3 - "$path" "$json" <<'PY'
import json, sys
path, r = sys.argv[1], json.loads(sys.argv[2])
req, ach = r["requestedPps"], r["achievedPps"]
lat = r["latency"] or {}
back = 100.0 * r["received"] / r["sent"] if r["sent"] and path != "alone" else float("nan")
print(f"{path:<9} {req/1e6:9.3f} {ach/1e6:9.3f} {100*(ach-req)/req:+8.2f}% {back:8.2f}% "
      f"{lat.get('p50', float('nan')):9.1f} {lat.get('p99', float('nan')):9.1f} {r['txFull']:>9} {r['cpuShare']:9.2f}")
PY
}

echo "nfvlab-gen accuracy, 64-byte frames, ${seconds} s per rate; $(nproc) CPUs; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-9s %9s %9s %9s %9s %9s %9s %9s %9s\n" path "req Mpps" "ach Mpps" "error" "returned" "p50 us" "p99 us" "tx full" "cpu share"
for path in $paths; do
    case $path in
        alone) ;;
        loopback)
            ovs-ofctl del-flows $br
            ovs-ofctl add-flow $br "in_port=${br}a,actions=in_port"
            ;;
        bridge)
            ovs-ofctl del-flows $br
            ovs-ofctl add-flow $br "priority=0,actions=NORMAL"
            ;;
        testpmd)
            ovs-ofctl del-flows $br
            ovs-ofctl add-flow $br "in_port=${br}a,actions=output:${br}b"
            ovs-ofctl add-flow $br "in_port=${br}b,actions=output:${br}a"
            # the DUT for the whole sweep; SIGINT ends it (the trap), --in-memory leaves no hugepage files, and
            # --stats-period keeps it forwarding without a terminal (else it ends at the end of its standard input)
            env --ignore-signal=PIPE dpdk-testpmd -l 0,1 --main-lcore 1 --no-pci --in-memory --single-file-segments \
                --file-prefix nvgenb-dut --log-level lib.eal:error \
                --vdev=virtio_user0,path="$work/b.sock",server=1,queues=1 \
                -- --forward-mode=macswap --nb-cores=1 --total-num-mbufs=16384 --stats-period=1 >"$work/dut.out" 2>&1 &
            dut_pid=$!
            ;;
        vhost)
            # testpmd serves the socket; its forwarding lcore is 1 (with OVS's PMD), the generator keeps 0
            env --ignore-signal=PIPE dpdk-testpmd -l 0,1 --main-lcore 0 --no-pci --in-memory --single-file-segments \
                --file-prefix nvgenb-vh --log-level lib.eal:error --vdev "net_vhost0,iface=$work/v.sock,queues=1" \
                -- --forward-mode=io --nb-cores=1 --total-num-mbufs=16384 --stats-period=1 >"$work/dut.out" 2>&1 &
            dut_pid=$!
            for _ in $(seq 100); do [ -S "$work/v.sock" ] && break; sleep 0.1; done
            ;;
        *) echo "unknown path $path (alone, loopback, bridge, testpmd, vhost)" >&2; exit 2 ;;
    esac
    for mpps in $rates; do
        measure "$path" "$mpps"
    done
    if [ -n "$dut_pid" ]; then
        kill -INT "$dut_pid" 2>/dev/null || true
        wait "$dut_pid" 2>/dev/null || true
        dut_pid=""
    fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "error: (achieved - requested) / requested; returned: received / sent; tx full: transmit calls the port did not take whole;"
echo "cpu share: the generator's CPU time / wall time while transmitting (1: it had its CPU to itself)"
