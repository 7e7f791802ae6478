package io.nfvlab.api.plan;

import io.nfvlab.api.common.Hashes;

import java.util.regex.Pattern;

/**
 * The name of the Pod the operator creates for a templated container host on a cluster node: {@code <topology>-<host>}
 * (what a user looks for with kubectl), or {@code nfv-<token>-<hash of host>} when that is not a valid pod name. One
 * rule for the operator (which creates the Pod) and the planner (which tells the agent which pod's sandbox is the
 * host), so the two cannot drift apart.
 */
public final class PodHostNames {
    private static final Pattern POD_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

    private PodHostNames() {
    }

    public static String podName(String topology, String token, String host) {
        String readable = topology + "-" + host;
        // a host name with capitals is not lowered: H1 and h1 would become one pod
        if (POD_NAME.matcher(readable).matches()) {
            return readable;
        }
        return "nfv-" + token + "-" + Hashes.sha256Hex(host).substring(0, 10);
    }
}
