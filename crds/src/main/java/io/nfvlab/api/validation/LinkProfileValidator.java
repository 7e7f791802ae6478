package io.nfvlab.api.validation;

import io.nfvlab.api.profile.LinkProfileSpec;

import java.util.ArrayList;
import java.util.List;

/** A LinkProfile's values checked by the rules of a link's, so that the CLI refuses one before any API server does. */
public final class LinkProfileValidator {
    private LinkProfileValidator() {
    }

    public static List<Violation> validate(LinkProfileSpec spec) {
        if (spec == null) {
            return List.of(new Violation("spec", "is required"));
        }
        List<Violation> out = new ArrayList<>();
        // a profile's jitter needs its own delay: the CRD's rule sees only the profile
        LinkParamsRules.check(spec, "spec", false, out);
        if (spec.getDescription() != null && spec.getDescription().length() > 256) {
            out.add(new Violation("spec.description", "at most 256 characters, got " + spec.getDescription().length()));
        }
        return out;
    }
}
