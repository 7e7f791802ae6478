#!/usr/bin/env bash
# Time for the agent to bring up (and tear down) trees of 20 and 50 container hosts (busybox containers in podman, a
# private podman store) next to the same trees with namespace hosts. Prints a table; asserts nothing. Needs root,
# podman and busybox-static (scripts/setup-host.sh). Usage: sudo bench/agent/run-container-hosts.sh [N…]
set -euo pipefail
cd "$(dirname "$0")/../.."
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
mvn -q -B -o -pl dataplane-agent -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp" >/dev/null
java -cp "dataplane-agent/target/test-classes:dataplane-agent/target/classes:$(cat "$cp")" \
    io.nfvlab.agent.container.ContainerHostsBench "$@"
