package io.nfvlab.cli;

/** How a command prints: a table (or Mininet's own text) for people, JSON or YAML for scripts. */
public enum OutputFormat {
    table, json, yaml
}
