package io.nfvlab.cni;

/** NFVLAB_CNI_TRACE=1: phase timings on stderr, to see where an invocation's time goes. */
final class Trace {
    private static final boolean ON = "1".equals(System.getenv("NFVLAB_CNI_TRACE"));
    private static long last = System.nanoTime();

    private Trace() {
    }

    static void mark(String phase) {
        if (ON) {
            long now = System.nanoTime();
            // no printf: the Formatter's own start-up would show up in the next phase
            System.err.println("nfvlab-cni: " + phase + " " + (now - last) / 100_000 / 10.0 + " ms");
            last = System.nanoTime();
        }
    }
}
