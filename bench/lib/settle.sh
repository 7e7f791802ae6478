# Sourced by bench scripts. kernel_settle: waits until the kernel has finished the work the previous command left
# when it exited, and prints how long that took, in seconds. Deleted namespaces and links are unregistered by the
# kernel after `ip netns del` returns (a Linux bridge costs ~16 ms of it, under the rtnl lock every link change needs):
# without this wait the next command timed would pay for the previous one's teardown. Settled: adding and deleting a
# veth pair (the rtnl lock twice) takes under 100 ms (the kernel holds the lock for most of its cleanup: a probe during
# it waits until the end). Gives up after 20 s. Root.
kernel_settle() {
    local start now probe_start probe_ms
    start=$(date +%s%N)
    while :; do
        probe_start=$(date +%s%N)
        ip link add nfvsettle0 type veth peer name nfvsettle1 2>/dev/null && ip link del nfvsettle0 2>/dev/null
        now=$(date +%s%N)
        probe_ms=$(( (now - probe_start) / 1000000 ))
        if [ $probe_ms -lt 100 ] || [ $(( (now - start) / 1000000 )) -gt 20000 ]; then
            break
        fi
    done
    awk -v ns=$(( now - start )) 'BEGIN {printf "%.2f\n", ns / 1e9}'
}
