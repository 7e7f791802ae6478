#!/usr/bin/env bash
# 200 linear,4 topologies created at once -> all Ready. The operator runs in its own JVM (OperatorMain --embedded) so
# its peak RSS is measured alone (VmHWM); the API server and two agents with the in-memory FAKE dataplane run in the
# harness JVM. Prints the time to all Ready, reconciles per second and the operator's peak RSS.
# The operator JVM gets the options its image gives it in the chart's pod unless other options are given:
# -XX:MaxRAMPercentage=75 (scripts/build-images.sh) of the chart's 512Mi limit (-XX:MaxRAM=512m), and the serial
# collector, which the JVM picks by itself in a container of under 2 GB (here, on a 24 GB host, it would pick G1, whose
# own structures took 41 MB more).
# Usage: bench/operator/run-200-topologies.sh [count] [operator JVM options...] [-- OperatorMain options...]
#        (e.g. 1000 -- --reconcile-threads 30)
# Measured on the shared 2-core VM (load 10-17 from other builds): 200 -> all Ready in 16.4 s, 29 reconciles/s,
# operator peak RSS 199 MB (with -XX:MaxRAM=512m).
set -euo pipefail
cd "$(dirname "$0")/../.."
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
# one reactor build from a fresh clone (nothing installed into ~/.m2): the operator's test classes (the bench lives
# there) and its test classpath, the other nfvlab modules as their target directories
mvn -q -B -pl operator -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp" >/dev/null
count="${1:-200}"
shift || true
if [ "$#" -eq 0 ] || [ "$1" = "--" ]; then
    set -- -XX:MaxRAM=512m -XX:MaxRAMPercentage=75 -XX:+UseSerialGC "$@"
fi
java -cp "operator/target/test-classes:operator/target/classes:$(cat "$cp")" \
    io.nfvlab.operator.bench.OperatorScaleBench "$count" "$@"
