package io.nfvlab.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nfvlab.api.yaml.NfvlabYaml;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.expansion.LinkProfiles;
import io.nfvlab.api.profile.LinkProfile;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.validation.DpdkBridgeValidator;
import io.nfvlab.api.validation.LinkProfileValidator;
import io.nfvlab.api.validation.TopologyValidator;
import io.nfvlab.api.validation.Violation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * The resources of the user's files, parsed and validated before anything is created, so that a file that does not
 * parse or a topology that cannot work fails at once with one line naming the file, the resource and the field.
 */
public record ResourceFiles(List<VirtualTopology> topologies, List<DpdkBridge> bridges, List<TrafficTest> tests,
                            List<LinkProfile> profiles) {
    /** The file name {@code -}: stdin, as kubectl's {@code -f -}. */
    public static final Path STDIN = Path.of("-");

    public static ResourceFiles load(List<Path> files) {
        List<VirtualTopology> topologies = new ArrayList<>();
        List<DpdkBridge> bridges = new ArrayList<>();
        List<TrafficTest> tests = new ArrayList<>();
        List<LinkProfile> profiles = new ArrayList<>();
        List<Map.Entry<VirtualTopology, String>> whereTopology = new ArrayList<>();
        for (Path file : files) {
            List<HasMetadata> resources;
            try {
                resources = STDIN.equals(file) ? NfvlabYaml.load(readStdin(), "<stdin>") : NfvlabYaml.load(file);
            } catch (NfvlabYaml.NfvlabYamlException e) {
                throw CliException.failure(e.getMessage());
            }
            for (HasMetadata r : resources) {
                String where = file + ": " + r.getKind() + " " + r.getMetadata().getName();
                if (r instanceof VirtualTopology t) {
                    whereTopology.add(Map.entry(t, where));
                    topologies.add(t);
                } else if (r instanceof DpdkBridge b) {
                    check(where, b.getSpec() == null ? List.of(new Violation("spec", "is required"))
                            : DpdkBridgeValidator.validate(b.getSpec()));
                    bridges.add(b);
                } else if (r instanceof TrafficTest t) {
                    if (t.getSpec() == null || t.getSpec().getType() == null) {
                        check(where, List.of(new Violation("spec.type", "is required")));
                    }
                    tests.add(t);
                } else if (r instanceof LinkProfile p) {
                    check(where, LinkProfileValidator.validate(p.getSpec()));
                    profiles.add(p);
                }
            }
        }
        // checked once every file is read: a topology may come before the profiles it names
        Map<String, LinkParams> byName = new HashMap<>();
        profiles.forEach(p -> byName.put(p.getMetadata().getName(), p.getSpec()));
        for (Map.Entry<VirtualTopology, String> e : whereTopology) {
            VirtualTopology t = e.getKey();
            check(e.getValue(), t.getSpec() == null ? List.of(new Violation("spec", "is required"))
                    : TopologyValidator.check(t.getSpec(), LinkProfiles.of(t.getSpec(), byName)).violations());
        }
        return new ResourceFiles(topologies, bridges, tests, profiles);
    }

    /**
     * The profiles the topologies name that no file defines (field path, topology, profile), for a run whose API server
     * holds nothing but the files.
     */
    public List<String> profilesMissingFromFiles() {
        Map<String, LinkParams> byName = new HashMap<>();
        profiles.forEach(p -> byName.put(p.getMetadata().getName(), p.getSpec()));
        List<String> missing = new ArrayList<>();
        for (VirtualTopology t : topologies) {
            if (t.getSpec() != null) {
                LinkProfiles.of(t.getSpec(), byName).missing().forEach(m -> missing.add("VirtualTopology "
                        + t.getMetadata().getName() + ": " + m.field() + ": " + m.link() + " names LinkProfile " + m.profile()
                        + ", which none of the files defines"));
            }
        }
        return missing;
    }

    /** At the prompt stdin is where the commands come from: it cannot also be a file. */
    public static void refuseStdinAtPrompt(List<Path> files, Session session) {
        if (session.isPrompt() && files.contains(STDIN)) {
            throw CliException.usage("-f - reads stdin, which is the prompt's own input here: give a file");
        }
    }

    private static String readStdin() {
        try {
            return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.failure("cannot read stdin: " + e.getMessage());
        }
    }

    public List<HasMetadata> all() {
        // profiles first: a topology applied before the profiles it names would wait for them
        List<HasMetadata> all = new ArrayList<>(profiles);
        all.addAll(bridges);
        all.addAll(topologies);
        all.addAll(tests);
        return all;
    }

    /**
     * {@link #all()} in reverse: what uses a resource goes before it (a topology before the profiles it names, which
     * would otherwise report them missing while it is torn down).
     */
    public List<HasMetadata> forDeletion() {
        List<HasMetadata> reversed = new ArrayList<>(all());
        java.util.Collections.reverse(reversed);
        return reversed;
    }

    private static void check(String where, List<Violation> violations) {
        if (!violations.isEmpty()) {
            String more = violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : "";
            throw CliException.failure(where + ": invalid: " + violations.get(0) + more);
        }
    }
}
