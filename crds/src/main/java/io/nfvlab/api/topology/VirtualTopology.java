package io.nfvlab.api.topology;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.crdgen.schema.JsonMergePatch;

/** A Mininet-style virtual network: hosts, switches and shaped links, realized by the node agents. */
@Group(Nfvlab.GROUP)
@Version(Nfvlab.VERSION)
@Kind("VirtualTopology")
@Singular("virtualtopology")
@Plural("virtualtopologies")
@ShortNames({"vtopo", "vt"})
@io.fabric8.kubernetes.model.annotation.Categories(Nfvlab.CATEGORY)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Hosts", jsonPath = ".status.hosts", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Links", jsonPath = ".status.links", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Nodes", jsonPath = ".status.nodes[*].node", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@SchemaCustomizer(value = JsonMergePatch.class, input = "{\"description\": \"A Mininet-style virtual network: hosts, switches and shaped links, built by the nfvlab agents on the nodes it is placed on.\", \"properties\": {\"spec\": {\"description\": \"The network: a built-in topology or explicit hosts, switches and links, with link parameters and placement.\"}, \"status\": {\"description\": \"What the operator and the node agents realized: conditions, counts, nodes, host addresses and tunnels.\"}}}")
public class VirtualTopology extends CustomResource<VirtualTopologySpec, VirtualTopologyStatus> implements Namespaced {
}
