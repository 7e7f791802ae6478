#!/usr/bin/env bash
# Interleaved whole commands, as a user times them: each round runs every LABEL once, in the order given, each on a
# settled kernel (bench/lib/settle.sh), under /usr/bin/time (launcher, JVM start, build, tests, teardown and exit
# included); then prints, per label, the median, fastest and slowest wall time, the median CPU (user + system) and
# the median peak RSS. Alternating cancels most of a shared machine's drift between labels; compare labels of one run
# only. Prints figures; asserts nothing. Root.
#
#   LABEL=PATH          an nfvlab launcher: PATH run ARGS (e.g. base=/tmp/old-checkout/nfvlab new=./nfvlab)
#   LABEL=PATH@OPTIONS  the same with NFVLAB_JAVA_OPTS=OPTIONS (e.g. "inl=./nfvlab@-XX:C1MaxInlineLevel=4")
#   LABEL=mn            Mininet: mn --switch lxbr --controller none ARGS
#
# usage: sudo bench/startup/paired.sh [--rounds 20] [--args "--topo linear,4 --test pingall"] LABEL=… [LABEL=…]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bench/lib/settle.sh"
rounds=20
args="--topo linear,4 --test pingall"
labels=()
while [ $# -gt 0 ]; do
    case $1 in
        --rounds) rounds=$2; shift 2 ;;
        --args) args=$2; shift 2 ;;
        *=*) labels+=("$1"); shift ;;
        *) echo "usage: $0 [--rounds N] [--args \"ARGS\"] LABEL=PATH[@JAVA_OPTS]|LABEL=mn …" >&2; exit 2 ;;
    esac
done
[ ${#labels[@]} -gt 0 ] || { echo "paired: give at least one LABEL=…" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "paired: needs root (both tools build network namespaces)" >&2; exit 77; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
read -r -a words <<<"$args"
for ((r = 1; r <= rounds; r++)); do
    for l in "${labels[@]}"; do
        name=${l%%=*}
        spec=${l#*=}
        kernel_settle >/dev/null
        if [ "$spec" = mn ]; then
            /usr/bin/time -f "$name %e %U %S %M" -a -o "$out" mn --switch lxbr --controller none "${words[@]}" >/dev/null 2>&1 || true
        else
            launcher=${spec%%@*}
            opts=""
            [ "$launcher" != "$spec" ] && opts=${spec#*@}
            NFVLAB_JAVA_OPTS=$opts /usr/bin/time -f "$name %e %U %S %M" -a -o "$out" "$launcher" run "${words[@]}" >/dev/null 2>&1 || true
        fi
    done
    printf 'paired: round %d of %d\r' "$r" "$rounds" >&2
done
echo >&2
echo "$rounds interleaved rounds of \`… $args\` ($(date -u +%H:%M) UTC, load $(cut -d' ' -f1-3 /proc/loadavg)); whole commands:"
echo
echo "| label | runs | wall median | fastest | slowest | CPU median | peak RSS median |"
echo "|---|---|---|---|---|---|---|"
for l in "${labels[@]}"; do
    name=${l%%=*}
    grep "^$name " "$out" | awk -v n="$name" '
        { w[NR] = $2; c[NR] = $3 + $4; m[NR] = $5 }
        function median(a, k,   i, j, t, s) {
            for (i = 1; i <= k; i++) s[i] = a[i]
            for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (s[j] < s[i]) { t = s[i]; s[i] = s[j]; s[j] = t }
            return k % 2 ? s[(k + 1) / 2] : (s[k / 2] + s[k / 2 + 1]) / 2
        }
        END {
            lo = w[1]; hi = w[1]
            for (i = 2; i <= NR; i++) { if (w[i] < lo) lo = w[i]; if (w[i] > hi) hi = w[i] }
            printf "| %s | %d | %.3f s | %.2f s | %.2f s | %.3f s | %.0f MiB |\n", n, NR, median(w, NR), lo, hi, median(c, NR), median(m, NR) / 1024
        }'
done
