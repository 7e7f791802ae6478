package io.nfvlab.api.validation;

import io.nfvlab.api.topology.LinkParams;

import java.util.List;

/** The TCLink parameter rules, shared by links, link defaults and link overrides. */
final class LinkParamsRules {
    private LinkParamsRules() {
    }

    /**
     * @param delayElsewhere true when a delay comes from somewhere else (the link defaults), so jitter alone is fine
     */
    static void check(LinkParams p, String path, boolean delayElsewhere, List<Violation> out) {
        if (p == null) {
            return;
        }
        if (p.getBandwidthMbps() != null) {
            double bw = p.getBandwidthMbps();
            if (Double.isNaN(bw) || bw <= 0) {
                out.add(new Violation(path + ".bandwidthMbps", "must be greater than 0 Mbit/s, got " + fmt(bw)));
            } else if (bw > 1_000_000) {
                out.add(new Violation(path + ".bandwidthMbps", "must be at most 1000000 Mbit/s, got " + fmt(bw)));
            }
        }
        if (p.getDelay() != null) {
            checkDelay(p.getDelay(), path + ".delay", "delay", "5ms, 100us or 1s", out);
        }
        if (p.getJitter() != null) {
            checkDelay(p.getJitter(), path + ".jitter", "jitter", "1ms", out);
            if (p.getDelay() == null && !delayElsewhere) {
                out.add(new Violation(path + ".jitter", "jitter needs a delay: set delay as well (jitter varies the delay)"));
            }
        }
        if (p.getLossPercent() != null) {
            double loss = p.getLossPercent();
            if (Double.isNaN(loss) || loss < 0 || loss > 100) {
                out.add(new Violation(path + ".lossPercent", "must be between 0 and 100 (percent), got " + fmt(loss)));
            }
        }
        percent(p.getLossCorrelationPercent(), path + ".lossCorrelationPercent", out);
        percent(p.getCorruptPercent(), path + ".corruptPercent", out);
        percent(p.getDuplicatePercent(), path + ".duplicatePercent", out);
        percent(p.getReorderPercent(), path + ".reorderPercent", out);
        if (p.getReorderPercent() != null && p.getDelay() == null && !delayElsewhere) {
            out.add(new Violation(path + ".reorderPercent", "reordering needs a delay: set delay as well (reordered frames skip it)"));
        }
        if (p.getReorderGap() != null) {
            if (p.getReorderGap() < 1) {
                out.add(new Violation(path + ".reorderGap", "must be at least 1, got " + p.getReorderGap()));
            } else if (p.getReorderPercent() == null) {
                out.add(new Violation(path + ".reorderGap", "reorderGap needs reorderPercent"));
            }
        }
        if (p.getLossCorrelationPercent() != null && p.getLossPercent() == null) {
            out.add(new Violation(path + ".lossCorrelationPercent", "lossCorrelationPercent needs lossPercent"));
        }
        if (p.getDelayDistribution() != null && p.getJitter() == null) {
            out.add(new Violation(path + ".delayDistribution", "delayDistribution needs a jitter (it shapes the jitter)"));
        }
        if (p.getMaxQueueSize() != null && p.getMaxQueueSize() < 1) {
            out.add(new Violation(path + ".maxQueueSize", "must be at least 1 packet, got " + p.getMaxQueueSize()));
        }
        if (p.getMtu() != null && (p.getMtu() < 68 || p.getMtu() > 65535)) {
            out.add(new Violation(path + ".mtu", "must be between 68 and 65535, got " + p.getMtu()));
        }
    }

    /**
     * Parsed by the same code the agent uses, so a spec that passes here is one the agent can shape; bounded as the
     * CRD's rule bounds it.
     */
    private static void checkDelay(String text, String field, String name, String example, List<Violation> out) {
        java.time.Duration d;
        try {
            d = LinkParams.parseDuration(text);
        } catch (IllegalArgumentException e) {
            out.add(new Violation(field, "\"" + text + "\" is not a duration such as " + example));
            return;
        }
        if (d.compareTo(LinkParams.MAX_DELAY) > 0) {
            out.add(new Violation(field, name + " must be at most " + LinkParams.MAX_DELAY_TEXT + ", got " + text));
        }
    }

    private static void percent(Double value, String field, List<Violation> out) {
        if (value != null && (Double.isNaN(value) || value < 0 || value > 100)) {
            out.add(new Violation(field, "must be between 0 and 100 (percent), got " + fmt(value)));
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
