package io.nfvlab.agent;

import io.nfvlab.api.node.PlannedContainer;
import io.nfvlab.api.topology.PodTemplate;

import java.util.regex.Pattern;

/**
 * {@link PlanCheck}'s rules for a container host: everything of it reaches the container runtime as an argument, so
 * nothing may look like an option, carry a NUL, or name a sysctl outside the container's network namespace.
 */
final class ContainerPlanCheck {
    private static final Pattern IMAGE = Pattern.compile(PodTemplate.IMAGE_PATTERN);
    private static final Pattern POD_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$");
    private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_.]{0,127}$");
    private static final Pattern SYSCTL = Pattern.compile("^net\\.[a-z0-9_.]{1,120}$");
    private static final Pattern SYSCTL_VALUE = Pattern.compile("^[A-Za-z0-9 ._:-]{0,64}$");
    private static final Pattern CAPABILITY = Pattern.compile(PodTemplate.CAPABILITY_PATTERN);
    private static final Pattern DEVICE = Pattern.compile("^eth[0-9]{1,4}$");

    private ContainerPlanCheck() {
    }

    static PlanCheck.Refusal device(String name, String field) {
        return name != null && DEVICE.matcher(name).matches() ? null
                : new PlanCheck.Refusal(field, "a container's interface is eth<port>, not \"" + clip(name) + "\"");
    }

    static PlanCheck.Refusal check(PlannedContainer c, String field) {
        if ((c.getTemplate() == null) == (c.getPodRef() == null)) {
            return new PlanCheck.Refusal(field, "needs exactly one of template and podRef");
        }
        if (c.getPodRef() != null) {
            return POD_NAME.matcher(c.getPodRef()).matches() ? null
                    : new PlanCheck.Refusal(field + ".podRef", "\"" + clip(c.getPodRef()) + "\" is not a pod name");
        }
        PodTemplate t = c.getTemplate();
        if (t.getImage() == null || !IMAGE.matcher(t.getImage()).matches()) {
            return new PlanCheck.Refusal(field + ".template.image", "\"" + clip(t.getImage()) + "\" is not an image reference");
        }
        for (int i = 0; i < t.envOrEmpty().size(); i++) {
            PodTemplate.EnvEntry e = t.envOrEmpty().get(i);
            if (e == null || e.getName() == null || !ENV_NAME.matcher(e.getName()).matches()) {
                return new PlanCheck.Refusal(field + ".template.env[" + i + "].name", "is not an environment variable name");
            }
            if (e.getValue() != null && e.getValue().indexOf('\0') >= 0) {
                return new PlanCheck.Refusal(field + ".template.env[" + i + "].value", "contains a NUL character");
            }
        }
        for (int i = 0; i < t.sysctlsOrEmpty().size(); i++) {
            PodTemplate.EnvEntry e = t.sysctlsOrEmpty().get(i);
            if (e == null || e.getName() == null || !SYSCTL.matcher(e.getName()).matches()
                    || e.getValue() == null || !SYSCTL_VALUE.matcher(e.getValue()).matches()) {
                return new PlanCheck.Refusal(field + ".template.sysctls[" + i + "]", "is not a network sysctl with a plain value");
            }
        }
        for (int i = 0; i < t.capabilitiesOrEmpty().size(); i++) {
            String cap = t.capabilitiesOrEmpty().get(i);
            if (cap == null || !CAPABILITY.matcher(cap).matches()) {
                return new PlanCheck.Refusal(field + ".template.capabilities[" + i + "]", "is not a capability name");
            }
        }
        for (String s : concat(t)) {
            if (s == null || s.indexOf('\0') >= 0) {
                return new PlanCheck.Refusal(field + ".template", "command and args must be non-empty strings without NUL");
            }
        }
        return null;
    }

    private static java.util.List<String> concat(PodTemplate t) {
        java.util.List<String> all = new java.util.ArrayList<>(t.commandOrEmpty());
        all.addAll(t.argsOrEmpty());
        return all;
    }

    private static String clip(String s) {
        return s == null ? "null" : s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
