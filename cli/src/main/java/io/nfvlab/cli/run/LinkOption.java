package io.nfvlab.cli.run;

import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.cli.CliException;
import io.nfvlab.cli.LinkSettings;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Mininet's {@code --link} option: {@code default} or {@code tc,bw=10,delay=5ms,jitter=1ms,loss=1,max_queue_size=100},
 * as the link defaults of the {@code --topo} topology (bw in Mbit/s and loss in percent, as TCLink takes them); the
 * keys and values are {@link LinkSettings}', the same as the prompt's {@code link} command takes.
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
        List<String> words = Arrays.stream(parts, 1, parts.length).map(String::trim).toList();
        for (String w : words) {
            if (w.indexOf('=') <= 0 || w.endsWith("=")) {
                throw CliException.usage("--link: expected key=value, got \"" + w + "\"");
            }
        }
        if (words.isEmpty()) {
            return new LinkParams();
        }
        try {
            return LinkSettings.parse(words).applyTo(new LinkParams());
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--link: " + e.getMessage());
        }
    }
}
