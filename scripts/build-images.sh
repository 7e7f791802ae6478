#!/usr/bin/env bash
# Builds the nfvlab container images without a Docker daemon or a registry, as OCI archives:
#
#   target/images/nfvlab-operator-<version>.oci.tar   ghcr.io/nfvlab/nfvlab-operator:<version>
#   target/images/nfvlab-agent-<version>.oci.tar      ghcr.io/nfvlab/nfvlab-agent:<version>
#
# each with its SBOM beside it (<archive name>.cdx.json: CycloneDX, the Maven dependencies as cyclonedx-maven-plugin
# reports them plus the Java runtime and every Debian package of the image's root filesystem, read with dpkg-query)
# and the plain Debian package list (<archive name>.dpkg.txt). <version> is the project version of the POM.
#
# Usage (root, Debian 12): scripts/build-images.sh [--jars] [--no-cache]
#   --jars       rebuild the jars with Maven even when they exist (by default Maven runs only when one is missing)
#   --no-cache   rebuild the Debian root filesystems instead of reusing those cached in $NFVLAB_IMAGE_CACHE
#
# How: mmdebstrap (minbase) makes a Debian bookworm root filesystem per image with only the packages listed below;
# jlink makes one Java runtime of the modules the jars need (jdeps) from this machine's JDK 17; buildah (vfs storage,
# chroot isolation, its own storage under the cache directory) commits "rootfs + runtime" as a cached base image and
# then the jars on top of it, straight into an oci-archive. Nothing is pushed anywhere; nothing touches podman's or
# containerd's image stores. The base images are cached under $NFVLAB_IMAGE_CACHE (default /var/cache/nfvlab-images),
# keyed by the package list and the JDK version, so a rebuild only adds the jars.
set -euo pipefail

say() { printf 'nfvlab images: %s\n' "$*" >&2; }
. "$(dirname "$0")/lib/packages.sh"
die() { say "$*"; exit 1; }

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

want_jars=0
no_cache=0
for arg in "$@"; do
    case "$arg" in
        --jars) want_jars=1 ;;
        --no-cache) no_cache=1 ;;
        -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $arg (see $0 --help)" ;;
    esac
done

if [ "$(id -u)" -ne 0 ]; then
    say "must run as root (mmdebstrap and buildah build root filesystems with chroot); try: sudo $0"
    exit 77
fi

started=$(date +%s)
cache=${NFVLAB_IMAGE_CACHE:-/var/cache/nfvlab-images}
out="$root/target/images"
suite=bookworm
mirrors=("deb http://deb.debian.org/debian $suite main"
         "deb http://deb.debian.org/debian $suite-updates main"
         "deb http://deb.debian.org/debian-security $suite-security main")
cyclonedx=org.cyclonedx:cyclonedx-maven-plugin:2.9.1

# What each image runs besides Java. The agent executes ip, tc, ovs-vsctl (openvswitch-switch: Debian keeps it with
# the daemons, which the image carries but does not start) and ovs-ofctl (openvswitch-common) against the node's OVS
# through the mounted /var/run/openvswitch, iperf3, fping, ping, ethtool and dpdk-testpmd (Debian ships it only in
# dpdk-dev: its headers and static libraries are left out of the image below, the shared DPDK libraries stay), and
# delegates CNI IPAM to host-local (containernetworking-plugins).
operator_packages=(ca-certificates)
agent_packages=(ca-certificates iproute2 openvswitch-common openvswitch-switch iperf3 fping iputils-ping ethtool dpdk-dev
                containernetworking-plugins procps)

# ---------------------------------------------------------------------------------------------------- host tools
host_packages=(mmdebstrap buildah skopeo umoci openjdk-17-jdk-headless maven gcc libc6-dev python3 ca-certificates)
install_missing "${host_packages[@]}"
jdk=/usr/lib/jvm/java-17-openjdk-amd64
[ -x "$jdk/bin/jlink" ] || die "no JDK 17 at $jdk (openjdk-17-jdk-headless)"
python=/usr/bin/python3

version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)
[ -n "$version" ] || die "no project version in pom.xml"
say "version $version, cache $cache, output $out"

# ----------------------------------------------------------------------------------------------- jars and SBOMs
jars=(operator/target/nfvlab-operator.jar dataplane-agent/target/nfvlab-agent.jar cni-plugin/target/cni/bin/nfvlab-cni
      operator/target/bom.json dataplane-agent/target/bom.json)
need_mvn=$want_jars
for f in "${jars[@]}"; do [ -e "$f" ] || need_mvn=1; done
if [ $need_mvn = 1 ]; then
    log=$out/maven.log
    mkdir -p "$out"
    say "building the jars and their CycloneDX SBOMs with Maven (log: $log)"
    t=$(date +%s)
    JAVA_HOME=$jdk mvn -B -pl operator,dataplane-agent,cni-plugin -am -DskipTests \
        package "$cyclonedx:makeBom" -DoutputFormat=json -DoutputName=bom -DincludeTestScope=false \
        >"$log" 2>&1 || { tail -30 "$log" >&2; die "Maven failed (log: $log)"; }
    say "jars built in $(( $(date +%s) - t )) s"
fi
for f in "${jars[@]}"; do [ -e "$f" ] || die "missing $f after the Maven build"; done

# ------------------------------------------------------------------------------------------------ Java runtime
# One runtime for both images: the modules jdeps finds in the jars (java.desktop only for java.beans; its native
# AWT libraries are never loaded) plus jdk.crypto.ec for TLS to API servers with EC keys.
jdk_release=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')
modules=$("$jdk/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 \
          operator/target/nfvlab-operator.jar operator/target/lib/*.jar \
          dataplane-agent/target/nfvlab-agent.jar dataplane-agent/target/lib/*.jar 2>/dev/null | tail -1)
[[ "$modules" == java.base* ]] || die "jdeps found no module list: $modules"
modules="$modules,jdk.crypto.ec"
runtime_key=$(printf '%s\n%s\n' "$jdk_release" "$modules" | sha256sum | cut -c1-12)
runtime="$cache/jre-$runtime_key"
if [ ! -x "$runtime/bin/java" ] || [ $no_cache = 1 ]; then
    say "jlink: Java $jdk_release runtime with $modules"
    rm -rf "$runtime"
    mkdir -p "$cache"
    "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
        --output "$runtime"
fi

# ------------------------------------------------------------------------------------------- base images (cached)
buildah_=(buildah --root "$cache/storage" --runroot "$cache/run" --storage-driver vfs)
export BUILDAH_ISOLATION=chroot
# a failed build leaves no working container behind in the cache's storage
trap '"${buildah_[@]}" rm --all >/dev/null 2>&1 || true' EXIT

# How every root filesystem is made (the cache key covers these options): documentation, manuals, translations,
# headers and static libraries are not installed (dpkg path-exclude; dpkg's database still lists every package, so
# the SBOM stays exact); user and group nonroot (65532) exist; apt's lists and caches are removed.
rootfs_options=(--quiet --variant=minbase
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/include/*'
    --dpkgopt='path-exclude=/usr/lib/x86_64-linux-gnu/*.a'
    --customize-hook='echo "nonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin" >> "$1/etc/passwd"'
    --customize-hook='echo "nonroot:x:65532:" >> "$1/etc/group"'
    --customize-hook='install -d -o 65532 -g 65532 -m 0750 "$1/home/nonroot"'
    --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/* "$1"/tmp/*')

# base NAME PACKAGES...: makes (or finds) localhost/nfvlab-NAME-base:KEY = Debian minbase + packages + Java runtime
base() {
    local name=$1; shift
    local key tag rootfs ctr t
    key=$(printf '%s\n' "$suite" "$runtime_key" "$*" "${mirrors[@]}" "${rootfs_options[@]}" | sha256sum | cut -c1-12)
    tag=localhost/nfvlab-$name-base:$key
    base_image=$tag
    rootfs="$cache/$name-rootfs-$key.tar"
    if [ $no_cache = 0 ] && "${buildah_[@]}" inspect --type image "$tag" >/dev/null 2>&1 && [ -e "$rootfs.dpkg.txt" ]; then
        say "$name: base image cached ($tag)"
        return
    fi
    t=$(date +%s)
    say "$name: mmdebstrap $suite minbase + $* (a few minutes the first time)"
    mmdebstrap "${rootfs_options[@]}" --include="$(IFS=,; echo "$*")" \
        --customize-hook="dpkg-query --admindir=\"\$1/var/lib/dpkg\" -W -f='\${Package}\t\${Version}\t\${Architecture}\n' > '$rootfs.dpkg.txt'" \
        "$suite" "$rootfs" "${mirrors[@]}" >&2
    say "$name: root filesystem $(du -m "$rootfs" | cut -f1) MB in $(( $(date +%s) - t )) s; committing the base image"
    "${buildah_[@]}" rmi -f "$tag" >/dev/null 2>&1 || true
    ctr=$("${buildah_[@]}" from scratch)
    "${buildah_[@]}" add "$ctr" "$rootfs" / >/dev/null
    "${buildah_[@]}" copy "$ctr" "$runtime" /opt/java >/dev/null
    "${buildah_[@]}" commit --quiet --rm "$ctr" "$tag" >/dev/null
    # earlier bases of this image (another package list or JDK) are no longer needed
    "${buildah_[@]}" images --format '{{.Name}}:{{.Tag}}' | grep -Fx -v "$tag" | grep "^localhost/nfvlab-$name-base:" \
        | while read -r old; do "${buildah_[@]}" rmi "$old" >/dev/null 2>&1 || true; done || true
    rm -f "$rootfs"   # the committed image is the cache; the package list stays for the SBOM
    say "$name: base image $tag in $(( $(date +%s) - t )) s"
}

# ----------------------------------------------------------------------------------------------------- images
# image NAME MODULE JAR USER ENTRYPOINT-JSON [COMMAND...]: the base image + the jar and its lib/ under /opt/nfvlab,
# then COMMAND run inside the image (buildah run, chroot isolation)
mkdir -p "$out"
image() {
    local name=$1 module=$2 jar=$3 user=$4 entrypoint=$5; shift 5
    local ref=ghcr.io/nfvlab/nfvlab-$name:$version archive="$out/nfvlab-$name-$version.oci.tar" ctr t
    t=$(date +%s)
    ctr=$("${buildah_[@]}" from --pull-never "$base_image")
    "${buildah_[@]}" copy "$ctr" "$module/target/$jar" "/opt/nfvlab/$jar" >/dev/null
    "${buildah_[@]}" copy "$ctr" "$module/target/lib" /opt/nfvlab/lib >/dev/null
    if [ "$name" = agent ]; then
        "${buildah_[@]}" copy --chmod 0755 "$ctr" cni-plugin/target/cni/bin/nfvlab-cni /opt/nfvlab/cni/bin/nfvlab-cni >/dev/null
    fi
    if [ $# -gt 0 ]; then
        "${buildah_[@]}" run "$ctr" -- "$@"
    fi
    "${buildah_[@]}" config \
        --user "$user" --workingdir / \
        --env JAVA_HOME=/opt/java \
        --env PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        --entrypoint "$entrypoint" \
        --label org.opencontainers.image.title="nfvlab-$name" \
        --label org.opencontainers.image.version="$version" \
        --label org.opencontainers.image.source=https://github.com/nfvlab/nfvlab \
        --label org.opencontainers.image.revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
        --label org.opencontainers.image.base.name="debian:$suite (mmdebstrap minbase)" \
        "$ctr"
    rm -f "$archive"
    "${buildah_[@]}" commit --quiet --rm --format oci --disable-compression=false "$ctr" "oci-archive:$archive:$ref" >/dev/null
    sbom "$name" "$module/target/bom.json" "$archive"
    say "$name: $archive ($(du -m "$archive" | cut -f1) MB, $ref) in $(( $(date +%s) - t )) s"
}

# sbom NAME MAVEN-BOM ARCHIVE: the Maven CycloneDX BOM plus the Java runtime and the Debian packages as components
sbom() {
    local name=$1 mavenbom=$2 archive=$3
    cp "${base_rootfs_list}" "$archive.dpkg.txt"
    "$python" - "$mavenbom" "$archive.dpkg.txt" "$archive.cdx.json" "nfvlab-$name" "$version" "$jdk_release" \
        "$modules" <<'EOF'
import json, sys, uuid, datetime
mavenbom, dpkg, out, name, version, jdk, modules = sys.argv[1:]
bom = json.load(open(mavenbom))
bom["serialNumber"] = "urn:uuid:" + str(uuid.uuid4())
meta = bom.setdefault("metadata", {})
meta["timestamp"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
meta["component"] = {"type": "container", "bom-ref": f"ghcr.io/nfvlab/{name}:{version}", "name": name,
                     "version": version, "description": "OCI image: Debian bookworm minbase, a jlink'ed Java runtime, "
                     + "the application jar (the Maven component tree below) and the Debian packages listed here"}
comps = bom.setdefault("components", [])
comps.append({"type": "application", "bom-ref": "java-runtime", "name": "openjdk-jlink-runtime", "version": jdk,
              "description": "jlink image of Debian's OpenJDK " + jdk + " with modules " + modules,
              "purl": "pkg:deb/debian/openjdk-17-jdk-headless@" + jdk + "?arch=amd64&distro=debian-12"})
for line in open(dpkg):
    pkg, ver, arch = line.rstrip("\n").split("\t")
    comps.append({"type": "library", "bom-ref": f"deb:{pkg}@{ver}", "name": pkg, "version": ver,
                  "purl": f"pkg:deb/debian/{pkg}@{ver}?arch={arch}&distro=debian-12"})
json.dump(bom, open(out, "w"), indent=2)
EOF
}

base operator "${operator_packages[@]}"
base_rootfs_list="$cache/operator-rootfs-${base_image##*:}.tar.dpkg.txt"
# The operator: non-root 65532, no writes to its root filesystem (-XX:-UsePerfData: no /tmp/hsperfdata; java.io.tmpdir
# stays /tmp, where the chart mounts an emptyDir). The chart passes only args, which follow the jar.
image operator operator nfvlab-operator.jar 65532:65532 \
    '["/opt/java/bin/java","-XX:MaxRAMPercentage=75","-XX:+ExitOnOutOfMemoryError","-XX:-UsePerfData","-jar","/opt/nfvlab/nfvlab-operator.jar"]'

base agent "${agent_packages[@]}"
base_rootfs_list="$cache/agent-rootfs-${base_image##*:}.tar.dpkg.txt"
# The agent: root (privileged DaemonSet). /opt/nfvlab/cni/bin holds what a CNI installer copies into the node's CNI
# bin directory: the static nfvlab-cni client and host-local (the agent itself finds host-local through CNI_PATH).
image agent dataplane-agent nfvlab-agent.jar 0:0 \
    '["/opt/java/bin/java","-XX:MaxRAMPercentage=75","-XX:+ExitOnOutOfMemoryError","-jar","/opt/nfvlab/nfvlab-agent.jar"]' \
    sh -c 'install -d /opt/nfvlab/cni/bin && cp /usr/lib/cni/host-local /opt/nfvlab/cni/bin/host-local'

say "done in $(( $(date +%s) - started )) s:"
ls -l "$out"/*.oci.tar* | sed 's/^/nfvlab images:   /' >&2
