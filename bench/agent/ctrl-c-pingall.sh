#!/usr/bin/env bash
# Ctrl-C during a pingall, timed as a user feels it: runs `./nfvlab run --topo TOPO --test pingall`, sends SIGINT
# DELAY seconds after the pingall has started, and prints how long the command took to exit after the signal, the
# teardown time it reported, and whether anything of the run was left in the kernel (namespaces of its owner token,
# interfaces named nv<token>…; the root end of a switch namespace's marker is given 30 s to go with its namespace,
# which the kernel destroys after the command has returned). Prints figures; asserts nothing. Root.
#
# usage: sudo bench/agent/ctrl-c-pingall.sh [--topo tree,depth=2,fanout=30] [--delay 3] [--runs 1]
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
topo=tree,depth=2,fanout=30
delay=3
runs=1
while [ $# -gt 0 ]; do
    case $1 in
        --topo) topo=$2; shift 2 ;;
        --delay) delay=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        *) echo "usage: $0 [--topo T] [--delay S] [--runs N]" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" -eq 0 ] || { echo "needs root" >&2; exit 77; }
now() { date +%s.%N; }

printf '| run | load average | pingall ran before SIGINT | exit after SIGINT | teardown as reported | exit code | left behind |\n'
printf '|---|---|---|---|---|---|---|\n'
for run in $(seq 1 "$runs"); do
    out=$(mktemp /tmp/nfvlab-ctrl-c.XXXXXX)
    before=$(ls /run/netns 2>/dev/null | sort || true)
    # job control on: a non-interactive shell's background job would otherwise ignore SIGINT (and so would the JVM)
    set -m
    NFVLAB_BUILD=${NFVLAB_BUILD:-never} "$root/nfvlab" run --topo "$topo" --test pingall >"$out" 2>&1 &
    pid=$!
    set +m

    # the pingall has started when the CLI announces it
    until grep -q '^\*\*\* Ping:' "$out" 2>/dev/null; do
        kill -0 $pid 2>/dev/null || { echo "run $run: nfvlab ended before the pingall started:" >&2; tail -5 "$out" >&2; exit 1; }
        sleep 0.05
    done
    started=$(now)
    # the run's owner token: the one with the most namespaces that appeared since it started (other engineers' runs
    # on the machine may add a few of their own meanwhile)
    mine=$(comm -13 <(echo "$before") <(ls /run/netns | sort) | sed -n 's/^nfv-\([a-z0-9]*\)-.*/\1/p' | sort | uniq -c \
        | sort -rn | awk 'NR == 1 {print $2}')
    sleep "$delay"
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    # SIGINT to the JVM (the launcher execs java, so $pid is the JVM), as a terminal's Ctrl-C would send it
    kill -INT $pid
    sent=$(now)
    set +e
    wait $pid
    code=$?
    set -e
    exited=$(now)
    reported=$(sed -n 's/^\*\*\* Agent removed everything in \([0-9.]*\) s/\1 s/p' "$out")
    left=""
    if [ -n "$mine" ]; then
        for _ in $(seq 1 600); do
            left=$( (ls /run/netns | grep "^nfv-$mine-" || true; ip -o link show | awk -F': ' '{print $2}' | grep "^nv$mine" || true) | tr '\n' ' ')
            [ -z "$left" ] && break
            sleep 0.05
        done
    fi
    printf '| %d | %s | %.2f s | %.2f s | %s | %d | %s |\n' "$run" "$load" "$(echo "$sent - $started" | bc)" \
        "$(echo "$exited - $sent" | bc)" "${reported:-(not printed)}" "$code" "${left:-nothing (token ${mine:-?})}"
    rm -f "$out"
done
