package io.nfvlab.agent.traffic;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every line must be a HELP, a TYPE or a sample,
 * each metric family's TYPE comes before its samples, label values are quoted and escaped, values are numbers.
 * Throws on the first line that breaks the format.
 */
public final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private PrometheusText() {
    }

    public static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Set<String> typed = new HashSet<>();
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = TYPE.matcher(line)).matches()) {
                typed.add(m.group(1));
            } else if (HELP.matcher(line).matches()) {
                continue;
            } else if (line.startsWith("#")) {
                continue;
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                String family = typed.stream().filter(t -> name.equals(t) || name.startsWith(t + "_")).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("line " + lineNo(line, text) + ": sample before its TYPE: " + line));
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    int end = 0;
                    while (l.find() && l.start() == end) {
                        labels.put(l.group(1), l.group(2));
                        end = l.end();
                    }
                    if (end != m.group(3).length()) {
                        throw new IllegalArgumentException("bad labels: " + line);
                    }
                }
                double value = switch (m.group(4)) {
                    case "+Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    case "NaN" -> Double.NaN;
                    default -> Double.parseDouble(m.group(4));
                };
                samples.add(new Sample(name, labels, value));
                assert family != null;
            } else {
                throw new IllegalArgumentException("line " + lineNo + " is not in exposition format: " + line);
            }
        }
        return samples;
    }

    private static int lineNo(String line, String text) {
        return List.of(text.split("\n")).indexOf(line) + 1;
    }

    /** The value of the one sample with this name whose labels include {@code labels}; throws when none. */
    public static double value(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels))
                .value();
    }
}
