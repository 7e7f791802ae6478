package io.nfvlab.operator.agent;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HostPathVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectFieldSelectorBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.nfvlab.operator.OperatorConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The desired agent DaemonSet: privileged, on the host network, with the host directories the agent works in. */
public final class AgentDaemonSet {
    public static final String NAME = "nfvlab-agent";
    public static final String APP_LABEL = "app.kubernetes.io/name";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

    /** Host path, whether mounts under it must propagate back to the host, and whether it is a directory to create. */
    private record HostMount(String name, String path, boolean bidirectional) {
    }

    private static final List<HostMount> MOUNTS = List.of(
            // namespaces the agent creates must be visible to the host (and to the CNI plugin): bidirectional
            new HostMount("netns", "/var/run/netns", true),
            new HostMount("ovs-run", "/var/run/openvswitch", false),
            new HostMount("hugepages", "/dev/hugepages", false),
            new HostMount("cni-conf", "/etc/cni/net.d", false),
            new HostMount("cni-bin", "/opt/cni/bin", false),
            // the agent runs CNI ADD/DEL for the plugin: its attachment records and host-local's IPAM reservations
            // must be the node's, where a runtime's later DEL or GC finds them
            new HostMount("cni-state", "/var/lib/cni", false),
            new HostMount("nfvlab-run", "/run/nfvlab", true));

    private AgentDaemonSet() {
    }

    public static Map<String, String> selectorLabels() {
        return Map.of(APP_LABEL, NAME);
    }

    public static DaemonSet desired(OperatorConfig config) {
        Map<String, String> labels = new LinkedHashMap<>(selectorLabels());
        labels.put(MANAGED_BY_LABEL, "nfvlab-operator");
        List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>();
        List<io.fabric8.kubernetes.api.model.VolumeMount> mounts = new ArrayList<>();
        for (HostMount m : MOUNTS) {
            volumes.add(new VolumeBuilder().withName(m.name())
                    .withHostPath(new HostPathVolumeSourceBuilder().withPath(m.path()).withType("DirectoryOrCreate").build())
                    .build());
            mounts.add(new VolumeMountBuilder().withName(m.name()).withMountPath(m.path())
                    .withMountPropagation(m.bidirectional() ? "Bidirectional" : null).build());
        }
        return new DaemonSetBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(config.getSystemNamespace())
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withNewSelector().withMatchLabels(selectorLabels()).endSelector()
                .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withServiceAccountName(config.getAgentServiceAccount())
                .withHostNetwork(true)
                // the agent runs ip netns / ovs-vsctl against host processes (ovs-vswitchd, testpmd)
                .withHostPID(true)
                .withDnsPolicy("ClusterFirstWithHostNet")
                .withPriorityClassName("system-node-critical")
                .withNodeSelector(config.getAgentNodeSelector().isEmpty() ? null : config.getAgentNodeSelector())
                .withTolerations(config.getAgentTolerations())
                .withVolumes(volumes)
                .addNewContainer()
                .withName("agent")
                .withImage(config.getAgentImage())
                .withArgs("--system-namespace", config.getSystemNamespace())
                .withEnv(new EnvVarBuilder().withName("NODE_NAME")
                        .withNewValueFrom().withFieldRef(new ObjectFieldSelectorBuilder().withFieldPath("spec.nodeName").build()).endValueFrom()
                        .build())
                .withNewSecurityContext().withPrivileged(true).endSecurityContext()
                .withVolumeMounts(mounts)
                .addNewPort().withName("metrics").withContainerPort(9102).endPort()
                .withNewReadinessProbe().withNewHttpGet().withPath("/readyz").withNewPort("metrics").endHttpGet().endReadinessProbe()
                .withNewLivenessProbe().withNewHttpGet().withPath("/healthz").withNewPort("metrics").endHttpGet()
                .withInitialDelaySeconds(10).endLivenessProbe()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
