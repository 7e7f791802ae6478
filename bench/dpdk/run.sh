#!/usr/bin/env bash
# DPDK / CNI benchmarks: testpmd Mpps through a DpdkBridge vs a hand-built bridge vs no OVS, and CNI ADD/DEL latency
# of nfvlab-cni (the C executable handing the work to an agent's socket, and its JVM fallback) vs the reference
# bridge plugin. Root; OVS-DPDK and hugepages as scripts/setup-host.sh leaves them.
# Options: RUNS=3 SECONDS_PER_RUN=5 CNI_SAMPLES=60 SKIP_MPPS=true SKIP_CNI=false bench/dpdk/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" -eq 0 ] || { echo "bench/dpdk: needs root" >&2; exit 77; }
work=$(mktemp -d /tmp/nvdkb-jars.XXXXXX)
trap 'rm -rf "$work"' EXIT
# one reactor build: this tree's modules, not whatever snapshots the local repository holds
mvn -q -B package dependency:build-classpath -pl crds,dataplane-agent,cni-plugin -am -DskipTests \
    -Dmdep.outputFile="$work/cp" >/dev/null
# copies: other people's builds may clean target/ while this runs (the last module's class path is cni-plugin's)
cp -r cni-plugin/target/cni "$work/cni"
cp=()
IFS=: read -r -a entries < "$work/cp" || true  # no newline at the end: read says EOF
for entry in "${entries[@]}"; do
    case "$entry" in
        "$PWD"/*) copy="$work/$(basename "$entry")"; cp -r "$entry" "$copy"; cp+=("$copy") ;;
        *) cp+=("$entry") ;;
    esac
done
java -Druns="${RUNS:-3}" -Dseconds="${SECONDS_PER_RUN:-5}" -DcniSamples="${CNI_SAMPLES:-60}" \
    -DskipMpps="${SKIP_MPPS:-false}" -DskipCni="${SKIP_CNI:-false}" -Dcni.jar="$work/cni/lib/nfvlab-cni.jar" \
    -cp "$(IFS=:; echo "${cp[*]}")" bench/dpdk/DpdkBench.java "$work/cni/bin/nfvlab-cni"
