package io.nfvlab.cli.commands;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "completion", description = "Print a bash/zsh completion script: `source <(./nfvlab completion)`.")
public class CompletionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(AutoComplete.bash("nfvlab", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
    }
}
