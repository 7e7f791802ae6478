#!/usr/bin/env bash
# Time for the agent's Linux dataplane to realize and tear down linear,100 and tree,depth=2,fanout=8 with Linux bridges
# and with OVS (netdev), next to Mininet's `mn --topo … --controller none --test none` (--switch lxbr and
# --switch ovs,datapath=user) run in the same harness; prints a table with the ratio. `--big` adds the 1000-host
# tree (depth=3, fanout=10), agent only. Never runs `mn -c`.
# Needs root, iproute2, OVS running (scripts/setup-host.sh), mininet + bridge-utils (or pass --no-mininet).
# Usage: bench/agent/run-build-teardown.sh [--runs N] [--big] [--huge] [--no-mininet] [--topo T]...
#        --huge: the 10,000-host tree, agent only; --topo: only that topology, Linux bridges, agent only
#        (e.g. --topo tree,depth=2,fanout=100)
set -euo pipefail
cd "$(dirname "$0")/../.."
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
# one reactor build (nothing installed into ~/.m2): the agent's classes, its test classes (the bench lives there)
# and the classpath of its dependencies, the other nfvlab modules as their target/classes
mvn -q -B -pl dataplane-agent -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp" >/dev/null
java -cp "dataplane-agent/target/test-classes:dataplane-agent/target/classes:$(cat "$cp")" io.nfvlab.agent.bench.AgentBench "$@"
