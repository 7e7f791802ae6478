#!/usr/bin/env bash
# Issue #17's check "the DPDK search on a plain DpdkBridge finds a rate within 10 % of testpmd's measured forwarding
# rate", as a benchmark that prints both figures from one run. One `nfvlab run` builds a plain DpdkBridge (NORMAL flow)
# with two vhostUser hosts and runs, one after the other on that same path:
#   1. the `testpmd` TrafficTest kind as the plain generator: one dpdk-testpmd serving both hosts' sockets in flowgen
#      mode (no rate control: as fast as it goes, both directions); its forwarding rate is what came back, rx summed
#      over the two directions (OVS's one PMD thread forwards both, so the sum is the bridge's rate);
#   2. an rfc2544 test of 64-byte frames with the bridge as device under test (dutMode bridge, as
#      examples/rfc2544-dpdk.yaml): the NDR and PDR its search finds (one direction, zero and 0.1 % loss).
# Prints both, their ratio, and the load average before and after. Asserts nothing: these are this machine's figures.
# Root; OVS-DPDK and hugepages as scripts/setup-host.sh leaves them; nfvlab-gen built (traffic-generator module).
# Everything it makes is named ndr-vs-testpmd / br-nvndrcmp and removed by `nfvlab run` itself.
# Usage: bench/dpdk/ndr-vs-testpmd.sh [--frame-size 64] [--testpmd-seconds 5] [--final-seconds 5]
set -euo pipefail
cd "$(dirname "$0")/../.."
frame=64
testpmd_seconds=5
final_seconds=5
while [ $# -gt 0 ]; do
    case $1 in
        --frame-size) frame=$2; shift 2 ;;
        --testpmd-seconds) testpmd_seconds=$2; shift 2 ;;
        --final-seconds) final_seconds=$2; shift 2 ;;
        *) echo "usage: $0 [--frame-size 64] [--testpmd-seconds 5] [--final-seconds 5]" >&2; exit 2 ;;
    esac
done
[[ $frame =~ ^[0-9]+$ && $testpmd_seconds =~ ^[0-9]+$ && $final_seconds =~ ^[0-9]+$ ]] \
    || { echo "ndr-vs-testpmd: --frame-size, --testpmd-seconds and --final-seconds take whole numbers" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "ndr-vs-testpmd: needs root (nfvlab run)" >&2; exit 77; }

work=$(mktemp -d /tmp/nvndrcmp.XXXXXX)
trap 'rm -rf "$work"' EXIT
cat >"$work/lab.yaml" <<EOF
apiVersion: nfvlab.io/v1alpha1
kind: DpdkBridge
metadata:
  name: ndr-vs-testpmd
spec:
  bridgeName: br-nvndrcmp
  dpdk: {socketMem: "512", lcoreMask: "0x1", pmdCpuMask: "0x2"}
---
apiVersion: nfvlab.io/v1alpha1
kind: VirtualTopology
metadata:
  name: ndr-vs-testpmd
spec:
  switchKind: ovs-dpdk
  bridgeRef: ndr-vs-testpmd
  hosts:
    - {name: gen, vhostUser: true}
    - {name: dut, vhostUser: true}
  switches:
    - name: s1
  links:
    - {a: gen, b: s1}
    - {a: dut, b: s1}
---
apiVersion: nfvlab.io/v1alpha1
kind: TrafficTest
metadata:
  name: ndr-vs-testpmd-testpmd
spec:
  topologyRef: {name: ndr-vs-testpmd}
  type: testpmd
  durationSeconds: $testpmd_seconds
  packetSize: $frame
  testpmd:
    hosts: [gen, dut]
    mode: flowgen
---
apiVersion: nfvlab.io/v1alpha1
kind: TrafficTest
metadata:
  name: ndr-vs-testpmd-rfc2544
spec:
  topologyRef: {name: ndr-vs-testpmd}
  type: rfc2544
  timeoutSeconds: 200
  rfc2544:
    frameSizes: ["$frame"]
    lineRateGbps: 10
    minRatePercent: 0.1
    maxRatePercent: 100
    precisionPercent: 2
    trialSeconds: 1
    finalTrialSeconds: $final_seconds
    maxTrials: 20
    dpdk: {generator: gen, dut: dut, dutMode: bridge}
EOF

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
./nfvlab run "$work/lab.yaml" 2>&1 | tee "$work/out" || true
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$work/out" "$frame" "$load_before" "$load_after" <<'PY'
import re, sys
out, frame, before, after = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3], sys.argv[4]
rx = [float(m) for m in re.findall(r"^\*\*\* \S+ -> \S+: tx [0-9.]+ Mpps, rx ([0-9.]+) Mpps", out, re.M)]
rows = {m.group(1): float(m.group(2)) for m in
        re.finditer(r"^\|\s*(?:" + re.escape(frame) + r")?\s*\|\s*(NDR|PDR)\s*\|\s*[0-9.]+\s*\|\s*([0-9.]+)\s*\|", out, re.M)}
print()
print(f"ndr-vs-testpmd, {frame}-byte frames through one plain DpdkBridge (NORMAL); load average before {before}, after {after}")
if not rx:
    print("testpmd: no forwarding rate in the output (see above)")
else:
    print(f"testpmd flowgen, forwarded (rx, {len(rx)} directions summed): {sum(rx):.3f} Mpps")
for kind in ("NDR", "PDR"):
    if kind not in rows:
        print(f"rfc2544 {kind}: none found (see above)")
    elif rx:
        print(f"rfc2544 {kind}: {rows[kind]:.3f} Mpps = {100 * rows[kind] / sum(rx):.1f} % of testpmd's forwarding rate")
    else:
        print(f"rfc2544 {kind}: {rows[kind]:.3f} Mpps")
PY
