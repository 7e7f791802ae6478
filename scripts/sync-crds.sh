#!/usr/bin/env bash
# Copies the CRD YAML generated from the Java API model (crds module) into the Helm chart, so that
# charts/nfvlab/crds/ is identical to what the build generates (the charts module's build fails otherwise).
# Usage: scripts/sync-crds.sh [--no-build]   (--no-build: copy the existing crds/target output as it is)
set -euo pipefail

cd "$(dirname "$0")/.."
generated=crds/target/classes/META-INF/fabric8
chart=charts/nfvlab/crds

if [ "${1:-}" != --no-build ]; then
    # generate in the reactor (nothing installed into ~/.m2); offline first, online if something is missing
    mvn -q -o -B -pl crds -am process-classes 2>/dev/null || mvn -q -B -pl crds -am process-classes
fi
shopt -s nullglob
files=("$generated"/*-v1.yml)
if [ ${#files[@]} -eq 0 ]; then
    echo "sync-crds: no generated CRDs in $generated; build the crds module first (drop --no-build)" >&2
    exit 1
fi
mkdir -p "$chart"
rm -f "$chart"/*.yml
cp "${files[@]}" "$chart"/
echo "sync-crds: copied ${#files[@]} CRDs into $chart: $(cd "$chart" && ls | tr '\n' ' ')"
