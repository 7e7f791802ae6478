package io.nfvlab.api.traffic;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
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

/** A traffic test run on a VirtualTopology (ping, pingall, iperf, …) or a DpdkBridge (testpmd). */
@Group(Nfvlab.GROUP)
@Version(Nfvlab.VERSION)
@Kind("TrafficTest")
@Singular("traffictest")
@Plural("traffictests")
@ShortNames("ttest")
@Categories(Nfvlab.CATEGORY)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Type", jsonPath = ".spec.type", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Result", jsonPath = ".status.summary", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Topology", jsonPath = ".spec.topologyRef.name", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Runs", jsonPath = ".status.runs", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.conditions[?(@.type==\"Ready\")].message", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@SchemaCustomizer(value = JsonMergePatch.class, input = "{\"description\": \"A traffic test run on a VirtualTopology (ping, pingall, iperf, …) or on a DpdkBridge (testpmd), judged against pass criteria.\", \"properties\": {\"spec\": {\"description\": \"What to run, between which hosts, for how long, and what counts as a pass.\"}, \"status\": {\"description\": \"The current run: phase, results, a Mininet-style summary and conditions.\"}}}")
public class TrafficTest extends CustomResource<TrafficTestSpec, TrafficTestStatus> implements Namespaced {
}
