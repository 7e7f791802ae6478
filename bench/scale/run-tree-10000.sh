#!/usr/bin/env bash
# The largest tree nfvlab accepts, on this machine's real kernel: tree,depth=2,fanout=100 (10,000 hosts, 101 Linux
# bridges, 10,100 veth pairs) brought up by `nfvlab run` with the in-process API server and its real limits (the plan
# reaches the agent as several NetworkNodeStates of at most 512 KiB), a pingall sampled over every 100th host
# (100 hosts, 9,900 pairs: a full pingall has 10^8), then torn down. Prints the CLI's own report and the wall time.
# Asserts nothing: a benchmark prints. The kernel work is heavy (minutes on a busy 2-core machine): run it on purpose,
# not in CI. Needs root and what `nfvlab run` needs (scripts/setup-host.sh).
# Usage: sudo bench/scale/run-tree-10000.sh [FANOUT] [SAMPLE_EVERY]   (defaults 100 and 100)
set -euo pipefail
cd "$(dirname "$0")/../.."
fanout=${1:-100}
every=${2:-100}
case $fanout in ''|*[!0-9]*) echo "FANOUT must be a number" >&2; exit 2 ;; esac
case $every in ''|*[!0-9]*) echo "SAMPLE_EVERY must be a number" >&2; exit 2 ;; esac
hosts=$((fanout * fanout))
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
{
    printf 'apiVersion: nfvlab.io/v1alpha1\nkind: VirtualTopology\nmetadata:\n  name: tree-scale\nspec:\n'
    printf '  topology:\n    type: "tree,depth=2,fanout=%d"\n' "$fanout"
    printf -- '---\napiVersion: nfvlab.io/v1alpha1\nkind: TrafficTest\nmetadata:\n  name: pingall-sampled\nspec:\n'
    printf '  topologyRef:\n    name: tree-scale\n  type: pingall\n  timeoutSeconds: 600\n  hosts:\n'
    for ((i = 1; i <= hosts; i += every)); do
        printf '  - h%d\n' "$i"
    done
} > "$dir/tree-scale.yaml"
echo "tree,depth=2,fanout=$fanout: $hosts hosts, pingall over every ${every}th host"
start=$(date +%s.%N)
./nfvlab run --timeout 900 "$dir/tree-scale.yaml"
end=$(date +%s.%N)
printf 'wall time (build, pingall, teardown): %.1f s\n' "$(echo "$end - $start" | bc)"
