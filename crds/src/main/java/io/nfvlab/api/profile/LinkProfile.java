package io.nfvlab.api.profile;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.crdgen.schema.JsonMergePatch;

/**
 * Reusable link parameters (cluster-scoped), as LXD profiles are reusable: links, {@code linkDefaults} and
 * {@code linkOverrides} of any VirtualTopology name it in {@code profiles}. It has no status: the topologies that use it
 * say which of its values are in force.
 */
@Group(Nfvlab.GROUP)
@Version(Nfvlab.VERSION)
@Kind("LinkProfile")
@Singular("linkprofile")
@Plural("linkprofiles")
@ShortNames("lprof")
@Categories(Nfvlab.CATEGORY)
@AdditionalPrinterColumn(name = "Bandwidth", jsonPath = ".spec.bandwidthMbps", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Delay", jsonPath = ".spec.delay", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Jitter", jsonPath = ".spec.jitter", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Loss", jsonPath = ".spec.lossPercent", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Description", jsonPath = ".spec.description", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@SchemaCustomizer(value = JsonMergePatch.class, input = "{\"description\": \"Reusable link parameters (cluster-scoped): links, "
        + "linkDefaults and linkOverrides of a VirtualTopology name it in their profiles list; changing it re-shapes every link "
        + "that uses it.\", \"properties\": {\"spec\": {\"description\": \"The link parameters the profile gives the links that name it "
        + "(the link's own values win over the profile's).\"}, \"status\": {\"description\": \"Unused: each VirtualTopology that names "
        + "the profile lists the values of it in force in its own status.profiles.\"}}}")
public class LinkProfile extends CustomResource<LinkProfileSpec, Void> {
}
