#!/usr/bin/env bash
# Runs every nfvlab test on this machine: prepares the host (Debian packages, hugepages, OVS with DPDK — see
# scripts/setup-host.sh), makes sure Java 17 and Maven are present, then runs `mvn -B verify` over all modules
# (unit and operator tests in surefire, kernel/OVS/traffic tests (*IT) in failsafe, e2e where Docker runs).
# Needs root. Works from a fresh clone. Extra arguments go to Maven, e.g. scripts/test-all.sh -pl crds
set -euo pipefail

cd "$(dirname "$0")/.."
say() { printf 'nfvlab test-all: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
    say "must run as root (the dataplane tests create namespaces, veths and OVS ports); try: sudo $0"
    exit 77
fi

scripts/setup-host.sh

# Java 17+ and Maven: install Debian's when missing (a fresh CI machine may have neither).
java_ok() {
    command -v java >/dev/null && command -v javac >/dev/null &&
        [ "$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')" -ge 17 ] 2>/dev/null
}
need=()
java_ok || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need+=(maven)
if [ ${#need[@]} -gt 0 ]; then
    say "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi

start=$(date +%s)
stamp=$(mktemp)
status=0
# --fail-at-end: one module's failure does not hide the results of the modules that do not depend on it
mvn -B --fail-at-end verify "$@" || status=$?
elapsed=$(( $(date +%s) - start ))

# One total over every module's surefire and failsafe reports written by this run (Maven prints one summary per
# module, and the last module's may be e2e's, skipped where Docker is missing).
tests=0; failed=0; skipped=0
while IFS= read -r report; do
    head=$(grep -m1 -o '<testsuite [^>]*>' "$report" || true)
    attr() { printf '%s' "$head" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
    tests=$(( tests + $(attr tests) ))
    failed=$(( failed + $(attr failures) + $(attr errors) ))
    skipped=$(( skipped + $(attr skipped) ))
done < <(find . -path '*/target/*-reports/TEST-*.xml' -newer "$stamp" 2>/dev/null)
rm -f "$stamp"
passed=$(( tests - failed - skipped ))

if [ $status -eq 0 ]; then
    say "PASSED: mvn -B --fail-at-end verify succeeded in ${elapsed}s (reports under */target/surefire-reports and */target/failsafe-reports)"
else
    say "FAILED: mvn -B --fail-at-end verify exited with $status after ${elapsed}s (see the first [ERROR] above and */target/*-reports)"
    # a build that stopped before its tests still failed
    [ $failed -gt 0 ] || failed=1
fi
echo "nfvlab: $passed passed, $failed failed, $skipped skipped"
exit $status
