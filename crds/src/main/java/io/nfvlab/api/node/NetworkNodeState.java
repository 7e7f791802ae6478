package io.nfvlab.api.node;

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

/**
 * One node's share of the plan for one owner (a VirtualTopology, DpdkBridge or TrafficTest), cluster-scoped and
 * labelled {@code nfvlab.io/node=<node>}; or, when that share is too large for one object, one part of it
 * ({@code spec.shard}, see {@code api.plan.NodeStateShards}). The operator alone writes {@code spec}; the node's agent
 * alone writes {@code status}.
 */
@Group(Nfvlab.GROUP)
@Version(Nfvlab.VERSION)
@Kind("NetworkNodeState")
@Singular("networknodestate")
@Plural("networknodestates")
@ShortNames("nns")
@Categories(Nfvlab.CATEGORY)
@AdditionalPrinterColumn(name = "Node", jsonPath = ".spec.nodeName", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Owner", jsonPath = ".spec.owner.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Synced", jsonPath = ".status.conditions[?(@.type==\"Synced\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Synced\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Kind", jsonPath = ".spec.owner.kind", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.conditions[?(@.type==\"Synced\")].message", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@SchemaCustomizer(value = JsonMergePatch.class, input = "{\"description\": \"One node's share of the plan of one VirtualTopology, DpdkBridge or TrafficTest (internal: the operator writes spec, the node's agent writes status).\", \"properties\": {\"spec\": {\"description\": \"The plan for the node: namespaces, bridges, links, tunnels, DPDK bridges and traffic jobs.\"}, \"status\": {\"description\": \"What the node's agent realized of the plan, and traffic results.\"}}}")
public class NetworkNodeState extends CustomResource<NetworkNodeStateSpec, NetworkNodeStateStatus> {
}
