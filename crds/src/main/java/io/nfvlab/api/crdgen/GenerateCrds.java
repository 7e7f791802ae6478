package io.nfvlab.api.crdgen;

import io.fabric8.crdv2.generator.CRDGenerationInfo;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.profile.LinkProfile;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;

import java.io.File;

/**
 * Build step (the crds module's process-classes phase runs it; it is left out of the jar): writes the CRDs of the
 * five kinds with fabric8's generator, as its Maven plugin would, plus {@link PrinterColumnOrder}, which the plugin
 * cannot be given.
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
        info.getCRDDetailsPerNameAndVersion().forEach((name, versions) ->
                versions.forEach((version, details) -> System.out.println("generated " + details.getFilePath())));
    }
}
