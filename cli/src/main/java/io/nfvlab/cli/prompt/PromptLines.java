package io.nfvlab.cli.prompt;

import java.io.IOException;

/** Where the prompt's lines come from: a terminal with line editing, or plain stdin (a script, a pipe, a test). */
public interface PromptLines extends AutoCloseable {
    /** The next line after showing {@code prompt}; null at end of input. */
    String readLine(String prompt) throws IOException;

    /** Runs {@code action} with the terminal's echo off (Mininet's {@code noecho}); as is where nothing echoes. */
    default int withoutEcho(java.util.function.IntSupplier action) {
        return action.getAsInt();
    }

    /** True when a person types the lines (a host command may then read the terminal). */
    default boolean interactive() {
        return false;
    }

    @Override
    default void close() {
    }
}
