package io.nfvlab.api.topology;

/** Limits on names that end up in kernel interface names (IFNAMSIZ is 16 including the NUL). */
public final class Names {
    public static final int IFNAMSIZ = 15;
    /** Host and switch names: DNS labels short enough that "name-ethNNNN" fits in 15 characters. */
    public static final String NODE_NAME_PATTERN = "^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$";
    public static final int MAX_NODE_NAME = 10;

    private Names() {
    }
}
