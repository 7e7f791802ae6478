package io.nfvlab.cli.run;

import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.cli.CliException;

import java.util.Locale;

/**
 * Mininet's {@code --link} option: {@code default} or {@code tc,bw=10,delay=5ms,jitter=1ms,loss=1,max_queue_size=100},
 * as the link defaults of the {@code --topo} topology (bw in Mbit/s and loss in percent, as TCLink takes them).
 */
final class LinkOption {
    private LinkOption() {
    }

    static LinkParams parse(String text) {
        String[] parts = text.trim().split(",");
        String kind = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!kind.equals("tc") && !kind.equals("default")) {
            throw CliException.usage("--link " + text + ": use default or tc,bw=…,delay=…,jitter=…,loss=…,max_queue_size=…");
        }
        if (kind.equals("default") && parts.length > 1) {
            throw CliException.usage("--link default takes no parameters (use tc,…)");
        }
        LinkParams p = new LinkParams();
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length != 2 || kv[1].isBlank()) {
                throw CliException.usage("--link: expected key=value, got \"" + parts[i] + "\"");
            }
            String key = kv[0].trim().toLowerCase(Locale.ROOT);
            String value = kv[1].trim();
            try {
                switch (key) {
                    case "bw" -> p.setBandwidthMbps(Double.parseDouble(value));
                    case "delay" -> p.setDelay(duration(value, key));
                    case "jitter" -> p.setJitter(duration(value, key));
                    case "loss" -> p.setLossPercent(Double.parseDouble(value));
                    case "max_queue_size" -> p.setMaxQueueSize(Integer.parseInt(value));
                    case "mtu" -> p.setMtu(Integer.parseInt(value));
                    default -> throw CliException.usage("--link: unknown parameter " + key
                            + " (bw, delay, jitter, loss, max_queue_size, mtu)");
                }
            } catch (NumberFormatException e) {
                throw CliException.usage("--link: " + key + "=" + value + " is not a number");
            }
        }
        return p;
    }

    /** Mininet accepts a bare number of milliseconds for delay; tc needs the unit. */
    private static String duration(String value, String key) {
        String v = value.matches("^[0-9]+(\\.[0-9]+)?$") ? value + "ms" : value;
        if (!v.matches(LinkParams.DURATION)) {
            throw CliException.usage("--link: " + key + "=" + value + " is not a duration such as 5ms or 100us");
        }
        return v;
    }
}
