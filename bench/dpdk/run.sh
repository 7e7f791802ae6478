#!/usr/bin/env bash
# DPDK / CNI benchmarks: testpmd Mpps through a DpdkBridge vs a hand-built bridge vs no OVS, and CNI ADD/DEL latency
# of nfvlab-cni vs the reference bridge plugin. Root; OVS-DPDK and hugepages as scripts/setup-host.sh leaves them.
# Options as Java properties: RUNS=3 SECONDS=5 CNI_SAMPLES=60 bench/dpdk/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" -eq 0 ] || { echo "bench/dpdk: needs root" >&2; exit 77; }
mvn -o -q install -pl crds,dataplane-agent -DskipTests
mvn -o -q package -pl cni-plugin -DskipTests
# copies: other people's builds may clean target/ while this runs
work=$(mktemp -d /tmp/nvdkb-jars.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp dataplane-agent/target/nfvlab-dataplane-agent-*-SNAPSHOT.jar "$work/agent.jar"
cp cni-plugin/target/nfvlab-cni-plugin-*-SNAPSHOT.jar "$work/nfvlab-cni.jar"
mvn -o -q dependency:build-classpath -pl dataplane-agent -Dmdep.outputFile="$work/cp" >/dev/null
java -Druns="${RUNS:-3}" -Dseconds="${SECONDS_PER_RUN:-5}" -DcniSamples="${CNI_SAMPLES:-60}" \
    -DskipMpps="${SKIP_MPPS:-false}" -DskipCni="${SKIP_CNI:-false}" -Dcni.jar="$work/nfvlab-cni.jar" \
    -cp "$work/agent.jar:$(cat "$work/cp")" bench/dpdk/DpdkBench.java cni-plugin/bin/nfvlab-cni
