#!/usr/bin/env bash
# How closely a shaped link gives what it asks for: rate (iperf3 TCP), one-way delay p50/p99 (ping) and loss (ping)
# on one link the agent builds on the real kernel; prints requested vs measured and asserts nothing (what it measures
# is in LinkAccuracyBench's doc). Needs root, iproute2, iputils-ping, iperf3. Run it on a quiet machine: rate and
# delay are load-sensitive. Usage: sudo bench/traffic/link-accuracy.sh [rounds]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
# one reactor build (nothing installed into ~/.m2)
mvn -q -o -B -pl dataplane-agent -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp" >/dev/null 2>&1 || mvn -q -B -pl dataplane-agent -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$cp" >/dev/null
java -cp "dataplane-agent/target/test-classes:dataplane-agent/target/classes:$(cat "$cp")" \
    io.nfvlab.agent.kernel.linux.LinkAccuracyBench "${1:-3}"
