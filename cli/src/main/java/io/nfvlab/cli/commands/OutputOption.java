package io.nfvlab.cli.commands;

import io.nfvlab.cli.OutputFormat;
import picocli.CommandLine.Option;

/** {@code -o table|json|yaml}. */
public class OutputOption {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), json or yaml.")
    public OutputFormat format = OutputFormat.table;
}
