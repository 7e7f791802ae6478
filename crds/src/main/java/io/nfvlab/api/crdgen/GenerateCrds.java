package io.nfvlab.api.crdgen;

import io.fabric8.crdv2.generator.CRDGenerationInfo;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.profile.LinkProfile;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.nfvlab.crdvalidation.CompiledCelRules;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Build step (the crds module's process-classes phase runs it; it is left out of the jar): writes the CRDs of the
 * five kinds with fabric8's generator, as its Maven plugin would, plus {@link PrinterColumnOrder}, which the plugin
 * cannot be given. Beside each CRD's YAML it writes the same CRD as one line of JSON ({@code *-v1.json}): the
 * in-process API server of `nfvlab run` installs that copy, because reading 200 KB of YAML was most of its CRDs'
 * install on the command's critical path (bench/startup/README.md). Then it compiles every CEL rule of the CRDs into
 * {@link CompiledCelRules#RESOURCE}, which the API server's validators read instead of compiling them.
 */
public final class GenerateCrds {
    private GenerateCrds() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: GenerateCrds OUTPUT_DIR");
        }
        File dir = new File(args[0]);
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IllegalStateException("cannot create " + dir);
        }
        CRDGenerationInfo info = new CRDGenerator()
                .customResourceClasses(VirtualTopology.class, TrafficTest.class, DpdkBridge.class, NetworkNodeState.class,
                        LinkProfile.class)
                .forCRDVersions("v1")
                .inOutputDir(dir)
                .withPostProcessor(new PrinterColumnOrder())
                .detailedGenerate();
        Set<String> rules = new TreeSet<>();
        info.getCRDDetailsPerNameAndVersion().forEach((name, versions) ->
                versions.forEach((version, details) -> {
                    System.out.println("generated " + details.getFilePath());
                    rules.addAll(rulesOf(writeJsonCopy(Path.of(details.getFilePath()))));
                }));
        Path compiled = dir.toPath().resolveSibling("nfvlab").resolve("compiled-cel-rules.bin");
        writeCompiledRules(rules, compiled);
        System.out.println("compiled " + rules.size() + " CEL rules into " + compiled);
    }

    private static Set<String> rulesOf(Path json) {
        try {
            return CompiledCelRules.rulesIn(new ObjectMapper().readTree(json.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeCompiledRules(Set<String> rules, Path file) {
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                CompiledCelRules.write(rules, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code x-v1.yml} as {@code x-v1.json}, the same document. */
    static Path writeJsonCopy(Path yaml) {
        String name = yaml.getFileName().toString();
        if (!name.endsWith(".yml")) {
            throw new IllegalStateException("not a generated CRD: " + yaml);
        }
        Path json = yaml.resolveSibling(name.substring(0, name.length() - ".yml".length()) + ".json");
        try (InputStream in = Files.newInputStream(yaml)) {
            // as a plain map, not fabric8's typed CRD, so that the copy holds exactly the YAML's fields in its order
            Object document = Serialization.unmarshal(in, Map.class);
            Files.writeString(json, Serialization.asJson(document));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return json;
    }
}
