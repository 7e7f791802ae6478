#!/usr/bin/env bash
# Builds localhost/nfvlab-frr:bookworm, the router image of examples/frr-ospf.yaml, without a registry: Debian's frr
# package in a minbase root filesystem (mmdebstrap), imported into this machine's podman store (podman import).
#
# Usage (root, Debian 12): scripts/build-frr-image.sh [--no-cache]
#   --no-cache   rebuild the root filesystem instead of reusing target/images/nfvlab-frr.rootfs.tar
#
# The image starts /usr/local/sbin/nfvlab-frr-start: it writes $FRR_CONF to /etc/frr/frr.conf, enables the daemons
# named in $FRR_DAEMONS (default "ospfd"; zebra and staticd always run), starts FRR with Debian's frrinit.sh and then
# waits forever, so that the container lives as long as the router. The root filesystem is cached under target/images
# (≈2 minutes to make, once); the import takes a few seconds and is skipped when the image is already there.
set -euo pipefail

say() { printf 'nfvlab frr image: %s\n' "$*" >&2; }
. "$(dirname "$0")/lib/packages.sh"
die() { say "$*"; exit 1; }

root=$(cd "$(dirname "$0")/.." && pwd)
image=localhost/nfvlab-frr:bookworm
out="$root/target/images"
rootfs="$out/nfvlab-frr.rootfs.tar"
no_cache=0
for arg in "$@"; do
    case "$arg" in
        --no-cache) no_cache=1 ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $arg (see $0 --help)" ;;
    esac
done
[ "$(id -u)" -eq 0 ] || { say "must run as root (mmdebstrap, podman); try: sudo $0"; exit 77; }

install_missing mmdebstrap podman runc

if [ $no_cache = 1 ] || [ ! -s "$rootfs" ]; then
    mkdir -p "$out"
    say "mmdebstrap bookworm minbase + frr (a few minutes the first time)"
    start_script='#!/bin/sh
# Written by scripts/build-frr-image.sh: configure FRR from the environment, start it, stay in the foreground.
set -e
if [ -n "$FRR_CONF" ]; then printf "%s\n" "$FRR_CONF" > /etc/frr/frr.conf; fi
for d in ${FRR_DAEMONS:-ospfd}; do sed -i "s/^$d=no/$d=yes/" /etc/frr/daemons; done
chown frr:frr /etc/frr/frr.conf
/usr/lib/frr/frrinit.sh start
exec sleep infinity'
    mmdebstrap --quiet --format=tar --variant=minbase --include=frr,iproute2,iputils-ping,procps \
        --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
        --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
        --customize-hook="printf '%s\n' '$start_script' > \"\$1/usr/local/sbin/nfvlab-frr-start\"" \
        --customize-hook='chmod 0755 "$1/usr/local/sbin/nfvlab-frr-start"' \
        --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/* "$1"/tmp/*' \
        bookworm "$rootfs.part" "deb http://deb.debian.org/debian bookworm main"
    mv "$rootfs.part" "$rootfs"
fi

if [ $no_cache = 0 ] && podman image exists "$image"; then
    say "$image is already in podman's store"
else
    podman import -q --change 'CMD ["/usr/local/sbin/nfvlab-frr-start"]' "$rootfs" "$image" >/dev/null
    say "imported $image from $rootfs"
fi
