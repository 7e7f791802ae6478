package io.nfvlab.cli.prompt;

import io.nfvlab.cli.Session;
import org.jline.reader.Candidate;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The prompt's own words (sh, source, noecho) and its completion; the Mininet commands are in ClusterCommandsTest. */
class PromptTest {
    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private void prompt(String input) throws IOException {
        Session session = Session.builder().namespace("lab").out(new PrintWriter(out, true))
                .err(new PrintWriter(err, true)).localNode("node-a").prompt(true).build();
        new Prompt(session, new BufferedReader(new StringReader(input))).run();
    }

    @Test
    void shRunsTheRestOfTheLineInThisMachinesShell() throws IOException {
        prompt("sh echo \"$((40 + 2))\" | tr 4 x\nsh\n");
        assertThat(out.toString()).isEqualTo(Prompt.PROMPT + "x2\n" + Prompt.PROMPT + Prompt.PROMPT + "\n");
        assertThat(err.toString()).isEqualTo("*** sh needs a command: sh CMD runs CMD in this machine's shell\n");
    }

    @Test
    void sourceRunsEachLineOfTheFileAndExitInItEndsOnlyTheFile() throws IOException {
        Path script = dir.resolve("setup.cli");
        Files.writeString(script, "# a comment\nsh echo one\n\nsh echo two\nexit\nsh echo never\n");
        prompt("source " + script + "\nsh echo after\n");
        assertThat(out.toString()).isEqualTo(Prompt.PROMPT + "one\ntwo\n" + Prompt.PROMPT + "after\n" + Prompt.PROMPT + "\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void sourceReportsAMissingFileAndAFileThatSourcesItself() throws IOException {
        Path loop = dir.resolve("loop.cli");
        Files.writeString(loop, "source " + loop + "\n");
        prompt("source " + dir.resolve("nope.cli") + "\nsource " + loop + "\nsource\n");
        assertThat(err.toString().lines()).containsExactly(
                "*** source: no file " + dir.resolve("nope.cli"),
                "*** source: more than 16 files deep (does " + loop + " source itself?)",
                "*** source needs one file: source FILE");
    }

    @Test
    void noechoNeedsAHostAndACommand() throws IOException {
        prompt("noecho h1\n");
        assertThat(err.toString()).isEqualTo("*** noecho needs a host and a command: noecho HOST CMD…\n");
    }

    @Test
    void helpListsThePromptsOwnWords() throws IOException {
        prompt("help\n");
        assertThat(out.toString()).contains("  sh CMD ", "  source FILE ", "  noecho HOST CMD", "  graph ");
    }

    @Test
    void completionOffersCommandsAndHostsFirstThenNodeNames() {
        var completer = TerminalLines.completer(List.of("nodes", "pingall"), () -> List.of("h1", "h2"),
                () -> List.of("h1", "h2", "s1"));
        var parser = new DefaultParser();
        List<Candidate> first = new ArrayList<>();
        completer.complete(null, parser.parse("pi", 2), first);
        assertThat(first).extracting(Candidate::value).containsExactly("nodes", "pingall", "h1", "h2");
        List<Candidate> later = new ArrayList<>();
        completer.complete(null, parser.parse("link s", 6), later);
        assertThat(later).extracting(Candidate::value).containsExactly("h1", "h2", "s1");
        List<Candidate> unreachable = new ArrayList<>();
        TerminalLines.completer(List.of("nodes"), () -> List.of(), () -> {
            throw new IllegalStateException("cluster down");
        }).complete(null, parser.parse("link ", 5), unreachable);
        assertThat(unreachable).isEmpty();
    }

    @Test
    void historyLivesUnderTheUsersStateDirectory() {
        assertThat(TerminalLines.historyFile().toString()).endsWith("/nfvlab/history");
    }
}
