package io.nfvlab.api.validation;

import io.nfvlab.api.topology.PodHostSpec;
import io.nfvlab.api.topology.PodTemplate;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of a container host ({@code hosts[].pod}, {@code topology.hostPod}), repeating the schema's so that the
 * CLI, which has no API server, refuses the same documents. The image and names reach the container runtime as
 * arguments: none may look like an option.
 */
final class PodHostRules {
    private static final Pattern IMAGE = Pattern.compile(PodTemplate.IMAGE_PATTERN);
    private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_.]{0,127}$");
    private static final Pattern POD_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$");
    private static final Pattern CAPABILITY = Pattern.compile(PodTemplate.CAPABILITY_PATTERN);
    private static final Pattern SYSCTL = Pattern.compile("^net\\.[a-z0-9_.]{1,120}$");

    private PodHostRules() {
    }

    /** @param shared true for a built-in's hostPod, which every host shares (so it cannot name one existing pod) */
    static void check(PodHostSpec pod, String path, boolean shared, List<Violation> out) {
        if (pod == null) {
            return;
        }
        if ((pod.getTemplate() == null) == (pod.getPodRef() == null)) {
            out.add(new Violation(path, "a pod host has either a template (nfvlab starts the container) or a podRef "
                    + "(an existing one), exactly one"));
            return;
        }
        if (pod.getPodRef() != null) {
            if (shared) {
                out.add(new Violation(path + ".podRef", "every host of a built-in would share the one pod " + pod.getPodRef()
                        + ": use a template"));
            } else if (!POD_NAME.matcher(pod.getPodRef()).matches()) {
                out.add(new Violation(path + ".podRef", "\"" + pod.getPodRef() + "\" is not a pod name (a DNS subdomain)"));
            }
            return;
        }
        PodTemplate t = pod.getTemplate();
        String tp = path + ".template";
        if (t.getImage() == null || t.getImage().isBlank()) {
            out.add(new Violation(tp + ".image", "is required, e.g. localhost/nfvlab-frr:bookworm"));
        } else if (!IMAGE.matcher(t.getImage()).matches()) {
            out.add(new Violation(tp + ".image", "\"" + t.getImage() + "\" is not an image reference such as "
                    + "localhost/nfvlab-frr:bookworm (letters, digits and ._/:@- only, not starting with -)"));
        }
        entries(t.envOrEmpty(), tp + ".env", ENV_NAME, "an environment variable name such as FRR_CONF", out);
        entries(t.sysctlsOrEmpty(), tp + ".sysctls", SYSCTL, "a network sysctl such as net.ipv4.ip_forward", out);
        for (int i = 0; i < t.capabilitiesOrEmpty().size(); i++) {
            String c = t.capabilitiesOrEmpty().get(i);
            if (c == null || !CAPABILITY.matcher(c).matches()) {
                out.add(new Violation(tp + ".capabilities[" + i + "]", "\"" + c + "\" is not a capability name such as NET_ADMIN"));
            }
        }
        for (int i = 0; i < t.commandOrEmpty().size(); i++) {
            if (t.commandOrEmpty().get(i) == null) {
                out.add(new Violation(tp + ".command[" + i + "]", "is empty"));
            }
        }
        for (int i = 0; i < t.argsOrEmpty().size(); i++) {
            if (t.argsOrEmpty().get(i) == null) {
                out.add(new Violation(tp + ".args[" + i + "]", "is empty"));
            }
        }
    }

    private static void entries(List<PodTemplate.EnvEntry> entries, String path, Pattern name, String what,
                                List<Violation> out) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            PodTemplate.EnvEntry e = entries.get(i);
            if (e == null || e.getName() == null || !name.matcher(e.getName()).matches()) {
                out.add(new Violation(path + "[" + i + "].name", "\"" + (e == null ? null : e.getName()) + "\" is not " + what));
            } else if (!seen.add(e.getName())) {
                out.add(new Violation(path + "[" + i + "].name", e.getName() + " is set twice"));
            } else if (e.getValue() != null && e.getValue().indexOf('\0') >= 0) {
                out.add(new Violation(path + "[" + i + "].value", "contains a NUL character"));
            }
        }
    }
}
