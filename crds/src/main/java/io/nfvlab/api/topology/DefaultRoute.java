package io.nfvlab.api.topology;

import java.util.regex.Matcher;

/**
 * A host's default route as Mininet's {@code defaultRoute} takes it: an interface ("h1-eth0"), a gateway
 * ("via 10.1.0.1") or both ("h1-eth0 via 10.1.0.1"). Either part may be null, not both.
 */
public record DefaultRoute(String device, String gateway) {
    private static final java.util.regex.Pattern FORM = java.util.regex.Pattern.compile(
            "^(?:([a-z][a-z0-9-]{0,14}))?(?:\\s*via\\s+((?:[0-9]{1,3}\\.){3}[0-9]{1,3}))?$");

    /** The parsed route, or null when {@code text} is neither form. */
    public static DefaultRoute parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches() || (m.group(1) == null && m.group(2) == null) || "via".equals(m.group(1))) {
            return null;
        }
        return new DefaultRoute(m.group(1), m.group(2));
    }
}
