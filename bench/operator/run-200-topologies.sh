#!/usr/bin/env bash
# 200 linear,4 topologies created at once -> all Ready. The operator runs in its own JVM (OperatorMain --embedded) so
# its peak RSS is measured alone (VmHWM); the API server and two agents with the in-memory FAKE dataplane run in the
# harness JVM. Prints the time to all Ready, reconciles per second and the operator's peak RSS.
# Usage: bench/operator/run-200-topologies.sh [count] [operator JVM options...]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -o install -pl crds,dataplane-agent -DskipTests
mvn -q -o test-compile -pl operator
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
mvn -q -o dependency:build-classpath -pl operator -Dmdep.includeScope=test -Dmdep.outputFile="$cp" >/dev/null
count="${1:-200}"
shift || true
java -cp "operator/target/test-classes:operator/target/classes:$(cat "$cp")" \
    io.nfvlab.operator.bench.OperatorScaleBench "$count" "$@"
