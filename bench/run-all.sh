#!/usr/bin/env bash
# Whole commands, as a user times them: `./nfvlab run …` next to Mininet's `mn …` (Debian's mininet 2.3, Linux
# bridges, no controller) in one run on this machine, each the median of several runs. Writes a summary table
# (summary.md) and PNG plots (gnuplot) into bench/results/<UTC time>/ and prints the table. Asserts nothing.
#
#   linear,K up and down (--test none) for K in --sizes: wall time vs topology size    -> linear.png
#   linear,4 --test pingall (the everyday case): wall, CPU, peak RSS                    -> everyday.png
#   tree,depth=2,fanout=8 --test pingall (4032 pings): whole command and pingall alone  -> pingall.png
#   where an nfvlab run's time goes (`nfvlab run --timings`, linear,4 pingall)         -> startup.png
#
# Needs root (both tools build namespaces), mininet + bridge-utils, gnuplot (installed with apt when missing). Never
# runs `mn -c`: Mininet is only run in ways that end cleanly (--controller none, --switch lxbr).
# Usage: sudo bench/run-all.sh [--runs N] [--sizes "4 25 50 100"] [--no-mininet] [--out DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=3
sizes="4 25 50 100"
mininet=1
out=""
while [ $# -gt 0 ]; do
    case $1 in
        --runs) runs=$2; shift 2 ;;
        --sizes) sizes=$2; shift 2 ;;
        --no-mininet) mininet=0; shift ;;
        --out) out=$2; shift 2 ;;
        *) echo "usage: $0 [--runs N] [--sizes \"4 25 50 100\"] [--no-mininet] [--out DIR]" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" -eq 0 ] || { echo "run-all: needs root (nfvlab run and mn build network namespaces)" >&2; exit 77; }
if [ $mininet = 1 ] && { ! command -v mn >/dev/null || ! command -v brctl >/dev/null; }; then
    echo "run-all: mininet and bridge-utils are needed for the peer (apt-get install mininet bridge-utils), or pass --no-mininet" >&2
    exit 1
fi
if ! command -v gnuplot >/dev/null; then
    echo "run-all: installing gnuplot-nox for the plots" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox >/dev/null
fi
out=${out:-$root/bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
raw=$out/raw
mkdir -p "$raw"

# settle NAME: waits until the kernel has finished the work the previous command left (bench/lib/settle.sh) and writes
# how long that took to raw/NAME.settle.
. "$root/bench/lib/settle.sh"
settle() {
    kernel_settle >"$raw/$1.settle"
}
# timed NAME CMD…: runs CMD under /usr/bin/time; stdout+stderr to raw/NAME.log, "wall user sys maxrss_kb" to raw/NAME.time;
# then waits for the kernel to settle (settle above)
timed() {
    local name=$1
    shift
    /usr/bin/time -f '%e %U %S %M' -o "$raw/$name.time" "$@" >"$raw/$name.log" 2>&1 || true
    settle "$name"
}

# The CLI is built (and its class-data archive written) before anything is timed: a user's second run is the one
# that counts, the first after a build pays for Maven and for writing the archive.
"$root/nfvlab" run --topo minimal --test pingall >"$raw/warmup-1.log" 2>&1
"$root/nfvlab" run --topo minimal --test pingall >"$raw/warmup-2.log" 2>&1
trap 'ip link del nfvsettle0 2>/dev/null || true' EXIT
settle warmup-2

median() { sort -g | awk '{v[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
col() { awk -v c="$1" '{print $c}'; }
# the first number after PATTERN in raw/NAME.log
grab() { grep -Eo "$2 [0-9.]+" "$raw/$1.log" | head -1 | grep -Eo '[0-9.]+$' || true; }

nfvlab_run() { timed "$1" "$root/nfvlab" run "${@:2}"; }
mn_run() { timed "$1" mn --switch lxbr --controller none "${@:2}"; }

echo "run-all: $runs run(s) each; sizes $sizes; results in $out" >&2

# 1. linear,K up and down
for k in $sizes; do
    for r in $(seq 1 "$runs"); do
        nfvlab_run "linear$k-nfvlab-$r" --topo "linear,$k" --test none
        [ $mininet = 1 ] && mn_run "linear$k-mn-$r" --topo "linear,$k" --test none
    done
done
# 2. the everyday case, with the start-up breakdown
for r in $(seq 1 "$runs"); do
    nfvlab_run "everyday-nfvlab-$r" --timings --topo linear,4 --test pingall
    [ $mininet = 1 ] && mn_run "everyday-mn-$r" --topo linear,4 --test pingall
done
# 3. pingall on a 64-host tree
for r in $(seq 1 "$runs"); do
    nfvlab_run "tree-nfvlab-$r" --timings --topo tree,depth=2,fanout=8 --test pingall
    [ $mininet = 1 ] && mn_run "tree-mn-$r" --topo tree,depth=2,fanout=8 --test pingall
done

# medians ------------------------------------------------------------------------------------------------------
stat() { # stat NAME-PREFIX FIELD(1 wall, 2 user, 3 sys, 4 rss KiB, cpu = user+sys)
    local prefix=$1 field=$2 f
    for f in "$raw/$prefix"-*.time; do
        [ -f "$f" ] || continue
        case $field in
            settle) cat "${f%.time}.settle" ;;
            cpu) awk '{printf "%.2f\n", $2 + $3}' "$f" ;;
            rss) awk '{printf "%.0f\n", $4 / 1024}' "$f" ;;
            *) col "$field" <"$f" ;;
        esac
    done | median
}
logstat() { # logstat NAME-PREFIX PATTERN: median of the first number after PATTERN in each run's log
    local prefix=$1 pattern=$2 f n
    for f in "$raw/$prefix"-*.log; do
        [ -f "$f" ] || continue
        n=$(grep -Eo "$pattern [0-9.]+" "$f" | head -1 | grep -Eo '[0-9.]+$' || true)
        [ -n "$n" ] && echo "$n"
    done | median
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "nan" || b == "nan" || a == 0) print "–"; else printf "%.1f×\n", b / a}'; }
results() { # the Results line of every run of PREFIX, distinct, for the table
    cat "$raw/$1"-*.log 2>/dev/null | grep -Eo 'Results: [^)]*\)' | sort | uniq -c | awk '{c=$1; $1=""; printf "%s%s (×%d)", (NR>1?"; ":""), substr($0,2), c}'
}

{
    echo "# nfvlab vs Mininet, whole commands ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
    echo "Medians of $runs runs each; Mininet is \`mn --switch lxbr --controller none …\`; nfvlab is \`./nfvlab run …\` (Linux bridges)."
    echo "Ratio: Mininet's figure over nfvlab's (above 1: nfvlab is faster). Command: \`sudo bench/run-all.sh --runs $runs --sizes \"$sizes\"\`."
    echo
    echo "Kernel after exit: how long the kernel went on removing what the command deleted, after the command had exited (the"
    echo "next command waited for it before it was timed; a Linux bridge takes ~16 ms of it, see bench/agent/README.md)."
    echo
    echo "| work | nfvlab wall | nfvlab CPU | nfvlab peak RSS | nfvlab: kernel after exit | Mininet wall | Mininet CPU | Mininet peak RSS | Mininet: kernel after exit | wall ratio |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    row() { # row LABEL NFVLAB-PREFIX MN-PREFIX
        local nw mw
        nw=$(stat "$2" 1); mw=$(stat "$3" 1)
        echo "| $1 | $nw s | $(stat "$2" cpu) s | $(stat "$2" rss) MiB | $(stat "$2" settle) s | $mw s | $(stat "$3" cpu) s | $(stat "$3" rss) MiB | $(stat "$3" settle) s | $(ratio "$nw" "$mw") |"
    }
    for k in $sizes; do
        row "\`run --topo linear,$k\` (up and down)" "linear$k-nfvlab" "linear$k-mn"
    done
    row "\`run --topo linear,4 --test pingall\`" everyday-nfvlab everyday-mn
    row "\`run --topo tree,depth=2,fanout=8 --test pingall\`" tree-nfvlab tree-mn
    echo
    echo "Inside the nfvlab runs (medians, from its own output):"
    echo
    echo "| work | control plane up | topology ready | pingall as the CLI reports it | teardown (agent removed everything) |"
    echo "|---|---|---|---|---|"
    for k in $sizes; do
        echo "| linear,$k | $(logstat "linear$k-nfvlab" 'Control plane up in') s | $(logstat "linear$k-nfvlab" "linear-$k ready in") s | | $(logstat "linear$k-nfvlab" 'Agent removed everything in') s |"
    done
    echo "| linear,4 pingall | $(logstat everyday-nfvlab 'Control plane up in') s | $(logstat everyday-nfvlab 'linear-4 ready in') s | $(logstat everyday-nfvlab 'completed in') s | $(logstat everyday-nfvlab 'Agent removed everything in') s |"
    echo "| tree pingall | $(logstat tree-nfvlab 'Control plane up in') s | $(logstat tree-nfvlab 'tree-depth-2-fanout-8 ready in') s | $(logstat tree-nfvlab 'completed in') s | $(logstat tree-nfvlab 'Agent removed everything in') s |"
    echo
    echo "Pingall results: nfvlab linear,4: $(results everyday-nfvlab); tree: $(results tree-nfvlab)."
    [ $mininet = 1 ] && echo "Mininet linear,4: $(results everyday-mn); tree: $(results tree-mn)."
    echo
    echo "Where an nfvlab run's time goes (\`--timings\`, linear,4 pingall, medians; concurrent phases overlap; CPU: the"
    echo "whole process's, all threads, since the line before — what the phase costs a loaded machine):"
    echo
    echo "| phase | wall (s) | process CPU (s) |"
    echo "|---|---|---|"
} >"$out/summary.md"

# start-up breakdown: every phase line of --timings, median per phase, in the order printed
: >"$out/startup.dat"
phases=$(sed -n '/^\*\*\* Timings/,/total since JVM start/p' "$raw/everyday-nfvlab-1.log" 2>/dev/null | grep '^  ' \
    | sed -E 's/  cpu +[0-9.]+ s$//; s/  \(concurrent\)$//; s/^  (.*[^ ]) +[0-9.]+ s$/\1/')
while IFS= read -r phase; do
    [ -n "$phase" ] || continue
    m=$(for f in "$raw"/everyday-nfvlab-*.log; do
            grep -F "  $phase " "$f" | head -1 | grep -Eo '[0-9]+\.[0-9]+ s' | head -1 | grep -Eo '[0-9.]+' || true
        done | median)
    c=$(for f in "$raw"/everyday-nfvlab-*.log; do
            grep -F "  $phase " "$f" | head -1 | grep -Eo 'cpu +[0-9.]+' | grep -Eo '[0-9.]+$' || true
        done | median)
    echo "| $phase | $m | ${c/nan/} |" >>"$out/summary.md"
    case $phase in total*) continue ;; esac
    printf '"%s" %s\n' "$(echo "$phase" | sed 's/"/'"'"'/g')" "$m" >>"$out/startup.dat"
done <<<"$phases"

# plots --------------------------------------------------------------------------------------------------------
{
    echo "# hosts nfvlab_wall mininet_wall"
    for k in $sizes; do echo "$k $(stat "linear$k-nfvlab" 1) $(stat "linear$k-mn" 1)"; done
} >"$out/linear.dat"
{
    echo "# measure nfvlab mininet"
    echo "\"wall (s)\" $(stat everyday-nfvlab 1) $(stat everyday-mn 1)"
    echo "\"CPU (s)\" $(stat everyday-nfvlab cpu) $(stat everyday-mn cpu)"
    echo "\"peak RSS (100 MiB)\" $(awk -v v="$(stat everyday-nfvlab rss)" 'BEGIN{print v/100}') $(awk -v v="$(stat everyday-mn rss)" 'BEGIN{print v/100}')"
} >"$out/everyday.dat"
{
    echo "# measure nfvlab mininet"
    echo "\"whole command (s)\" $(stat tree-nfvlab 1) $(stat tree-mn 1)"
    echo "\"nfvlab: pingall as reported (s)\" $(logstat tree-nfvlab 'completed in') nan"
} >"$out/pingall.dat"

# without Mininet its series are all "nan": gnuplot fails on a histogram of no valid points, so they are left out
mn_line="" mn_bars=""
if [ $mininet = 1 ]; then
    mn_line=", \"$out/linear.dat\" using 1:3 with linespoints lw 2 title \"mn --switch lxbr --controller none\""
    mn_bars=', "" using 3 title "Mininet"'
fi
gnuplot <<EOF
set terminal pngcairo size 900,540 noenhanced font ",10"
set grid ytics
set key top left
set output "$out/linear.png"
set title "run --topo linear,K up and down (median of $runs)"
set xlabel "hosts (K)"
set ylabel "wall time (s)"
plot "$out/linear.dat" using 1:2 with linespoints lw 2 title "nfvlab run"$mn_line
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xlabel ""
set yrange [0:*]
set output "$out/everyday.png"
set title "run --topo linear,4 --test pingall (median of $runs)"
set ylabel ""
plot "$out/everyday.dat" using 2:xtic(1) title "nfvlab"$mn_bars
set output "$out/pingall.png"
set title "tree,depth=2,fanout=8 pingall, 4032 pings (median of $runs)"
set ylabel "seconds"
plot "$out/pingall.dat" using 2:xtic(1) title "nfvlab"$mn_bars
set output "$out/startup.png"
set title "where nfvlab run --topo linear,4 --test pingall spends its time (median of $runs; operator and agent start side by side)"
set key off
set xtics rotate by -35 scale 0
set ylabel "seconds"
set bmargin 12
plot "$out/startup.dat" using 2:xtic(1) title ""
EOF

cat "$out/summary.md"
echo
echo "run-all: plots $out/{linear,everyday,pingall,startup}.png; raw logs in $raw" >&2
