package io.nfvlab.cli.main;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class NfvlabCommandTest {

    @Test
    void aNamedSubcommandIsTheOnlyOneBuiltAndKeepsTheInheritedOptions() {
        CommandLine cl = NfvlabCommand.commandLine(new String[]{"run", "--topo", "linear,4"});
        assertThat(cl.getSubcommands()).containsOnlyKeys("run");
        assertThat(cl.getSubcommands().get("run").getCommandSpec().findOption("--version")).isNotNull();
        assertThat(cl.getSubcommands().get("run").getCommandSpec().findOption("--help")).isNotNull();
    }

    @Test
    void noSubcommandAnUnknownWordHelpOrCompletionGetTheWholeTree() {
        for (String[] args : new String[][]{{}, {"--help"}, {"frobnicate"}, {"help", "run"}, {"completion"}}) {
            assertThat(NfvlabCommand.commandLine(args).getSubcommands()).as(String.join(" ", args))
                    .hasSize(NfvlabCommand.SUBCOMMANDS.size());
        }
    }
}
