#!/usr/bin/env bash
# pingall on tree,depth=2,fanout=8 (64 hosts, 4032 pings): nfvlab's traffic runner (ProcessTrafficJobs, real fping/ping
# in real namespaces) next to Mininet's pingAll on the same topology, in one harness; prints both times and the ratio.
# Needs root, iproute2, iputils-ping, fping, mininet, bridge-utils. Usage: bench/traffic/run-pingall-tree.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
# one reactor build from a fresh clone (nothing installed into ~/.m2)
mvn -q -B -pl dataplane-agent -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp" >/dev/null
java -cp "dataplane-agent/target/test-classes:dataplane-agent/target/classes:$(cat "$cp")" \
    io.nfvlab.agent.traffic.PingallTreeBench "${1:-3}"
