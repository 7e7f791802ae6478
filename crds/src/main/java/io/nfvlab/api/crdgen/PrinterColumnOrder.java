package io.nfvlab.api.crdgen;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.CustomResource;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.profile.LinkProfile;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts a CRD's printer columns in the order the kind's class declares its {@code @AdditionalPrinterColumn}s.
 * fabric8's generator sorts them by JSON path, which puts Age ({@code .metadata.creationTimestamp}) first and Reason
 * before Ready; kubectl prints them in list order, and users expect Ready first and Age last, with the wide-only
 * (priority 1) columns after it, as {@code kubectl get pods -o wide} does.
 */
final class PrinterColumnOrder implements CRDPostProcessor {
    private static final Map<String, Class<? extends CustomResource<?, ?>>> KINDS = Map.of(
            "VirtualTopology", VirtualTopology.class,
            "TrafficTest", TrafficTest.class,
            "DpdkBridge", DpdkBridge.class,
            "NetworkNodeState", NetworkNodeState.class,
            "LinkProfile", LinkProfile.class);

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (!(crd instanceof CustomResourceDefinition definition)) {
            throw new IllegalStateException("only apiextensions.k8s.io/v1 CRDs are generated, got " + crdSpecVersion);
        }
        String kind = definition.getSpec().getNames().getKind();
        Class<?> type = KINDS.get(kind);
        if (type == null) {
            throw new IllegalStateException("no printer column order for kind " + kind);
        }
        AdditionalPrinterColumn[] declared = type.getAnnotationsByType(AdditionalPrinterColumn.class);
        for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
            List<CustomResourceColumnDefinition> generated = version.getAdditionalPrinterColumns();
            if (generated == null) {
                continue;
            }
            List<CustomResourceColumnDefinition> ordered = new ArrayList<>();
            for (AdditionalPrinterColumn column : declared) {
                generated.stream().filter(c -> c.getName().equals(column.name())).findFirst().ifPresent(ordered::add);
            }
            if (ordered.size() != generated.size()) {
                throw new IllegalStateException(kind + ": printer columns " + generated.stream().map(CustomResourceColumnDefinition::getName).toList()
                        + " are not all declared with @AdditionalPrinterColumn on " + type.getName());
            }
            version.setAdditionalPrinterColumns(ordered);
        }
        return crd;
    }
}
