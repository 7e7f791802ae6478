package io.nfvlab.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WordsTest {
    @Test
    void splitsOnWhitespaceAndKeepsQuotedTextTogether() {
        assertThat(Words.split("  exec h1 --  sh -c 'echo a  b' \"x y\"")).containsExactly("exec", "h1", "--", "sh", "-c", "echo a  b", "x y");
    }

    @Test
    void shellCharactersAreJustText() {
        assertThat(Words.split("h1 echo $HOME;rm `x` | y > z")).containsExactly("h1", "echo", "$HOME;rm", "`x`", "|", "y", ">", "z");
    }

    @Test
    void backslashEscapesAndCommentsAndEmptyLines() {
        assertThat(Words.split("a\\ b c # comment")).containsExactly("a b", "c");
        assertThat(Words.split("   ")).isEmpty();
        assertThat(Words.split("# only a comment")).isEmpty();
        assertThat(Words.split("say ''")).containsExactly("say", "");
    }

    @Test
    void anUnbalancedQuoteIsAUsageError() {
        assertThatThrownBy(() -> Words.split("echo 'oops")).isInstanceOf(CliException.class)
                .hasMessageContaining("unbalanced")
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCodes.USAGE));
    }
}
