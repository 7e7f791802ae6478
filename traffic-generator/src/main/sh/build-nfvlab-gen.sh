#!/usr/bin/env bash
# Compiles nfvlab-gen against the system's DPDK (Debian libdpdk-dev 22.11), as the Maven build's compile phase does:
#   build-nfvlab-gen.sh SOURCE OUTPUT
# Linked to DPDK's shared libraries: EAL loads the PMDs (virtio_user among them) from its plugin directory, as
# dpdk-testpmd does; a static link would have to name each driver.
set -euo pipefail
src=$1
out=$2
if ! pkg-config --exists libdpdk; then
    echo "nfvlab-gen needs DPDK's headers: apt-get install libdpdk-dev pkg-config (scripts/setup-host.sh does)" >&2
    exit 1
fi
mkdir -p "$(dirname "$out")"
# shellcheck disable=SC2046 # pkg-config's output is a list of words
gcc -std=gnu11 -O2 -Wall -Wextra -Wshadow -Werror -D_FORTIFY_SOURCE=2 \
    $(pkg-config --cflags libdpdk) -o "$out" "$src" $(pkg-config --libs libdpdk) -lm
