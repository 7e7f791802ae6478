package io.nfvlab.api.bridge;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.crdgen.schema.JsonMergePatch;

/** An OVS-DPDK bridge with vhost-user ports on every selected node (cluster-scoped). */
@Group(Nfvlab.GROUP)
@Version(Nfvlab.VERSION)
@Kind("DpdkBridge")
@Singular("dpdkbridge")
@Plural("dpdkbridges")
@ShortNames("dpdkbr")
@Categories(Nfvlab.CATEGORY)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Nodes", jsonPath = ".status.nodesReady", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ports", jsonPath = ".status.portsReady", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Bridge", jsonPath = ".spec.bridgeName", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@SchemaCustomizer(value = JsonMergePatch.class, input = "{\"description\": \"An OVS-DPDK bridge with vhost-user ports on every selected node (cluster-scoped).\", \"properties\": {\"spec\": {\"description\": \"The bridge: its name, the nodes it is built on, DPDK settings, vhost-user ports and flows.\"}, \"status\": {\"description\": \"What the selected nodes realized: the bridge and each port per node, and conditions.\"}}}")
public class DpdkBridge extends CustomResource<DpdkBridgeSpec, DpdkBridgeStatus> {
}
