package io.nfvlab.api.bridge;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

import java.util.List;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class DpdkSettings {
    @Pattern("^[0-9]+(,[0-9]+)*$")
    @JsonPropertyDescription("other_config:dpdk-socket-mem, MB per NUMA socket; default 512.")
    private String socketMem;

    @Pattern("^0x[0-9a-fA-F]+$")
    @JsonPropertyDescription("other_config:dpdk-lcore-mask; default 0x1.")
    private String lcoreMask;

    @Pattern("^0x[0-9a-fA-F]+$")
    @JsonPropertyDescription("other_config:pmd-cpu-mask; default 0x2.")
    private String pmdCpuMask;

    @Min(0)
    @JsonPropertyDescription("2 MB hugepages the node must have (checked, and reserved by the CLI on its own machine); default 576.")
    private Integer hugepages;

    @JsonPropertyDescription("PCI devices DPDK may probe; empty (default) adds --no-pci.")
    private List<String> pciDevices;
}
