package io.nfvlab.cli.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No package of any module's production code depends, through any chain of imports, on a package that depends on
 * it back: each concern has one place, and lower packages never reach up. (The CLI module sees every other
 * module's sources from its parent directory.)
 */
class PackageCyclesTest {
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (io\\.nfvlab\\.[\\w.]+?)\\.[A-Z]\\w*(?:\\.\\w+)*;");
    private static final Pattern QUALIFIED = Pattern.compile("\\b(io\\.nfvlab(?:\\.[a-z]\\w*)+)\\.[A-Z]");

    @Test
    void noPackageCycleInProductionCode() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("..").toRealPath())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")
                    && !p.toString().contains("/target/")).toList()) {
                String text = Files.readString(f);
                Matcher pkg = PACKAGE.matcher(text);
                if (!pkg.find()) {
                    continue;
                }
                Set<String> out = deps.computeIfAbsent(pkg.group(1), k -> new TreeSet<>());
                Matcher imp = IMPORT.matcher(text);
                while (imp.find()) {
                    out.add(imp.group(1));
                }
                Matcher q = QUALIFIED.matcher(text.replaceAll("(?m)^import .*$", "").replaceAll("(?s)/\\*.*?\\*/", ""));
                while (q.find()) {
                    out.add(q.group(1));
                }
                out.remove(pkg.group(1));
            }
        }
        assertThat(deps).containsKeys("io.nfvlab.api.plan", "io.nfvlab.agent.kernel", "io.nfvlab.operator.topology", "io.nfvlab.cli");
        assertThat(cycles(deps)).isEmpty();
    }

    /** Strongly connected components of more than one package (Tarjan), each with its edges. */
    private static List<String> cycles(Map<String, Set<String>> deps) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<String> found = new ArrayList<>();
        int[] counter = {0};
        for (String v : deps.keySet()) {
            if (!index.containsKey(v)) {
                strongConnect(v, deps, index, low, stack, found, counter);
            }
        }
        return found;
    }

    private static void strongConnect(String v, Map<String, Set<String>> deps, Map<String, Integer> index,
                                      Map<String, Integer> low, Deque<String> stack, List<String> found, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        for (String w : deps.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                strongConnect(w, deps, index, low, stack, found, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                StringBuilder edges = new StringBuilder(component.toString());
                for (String a : component) {
                    for (String b : deps.getOrDefault(a, Set.of())) {
                        if (component.contains(b)) {
                            edges.append("\n  ").append(a).append(" -> ").append(b);
                        }
                    }
                }
                found.add(edges.toString());
            }
        }
    }
}
