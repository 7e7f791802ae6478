package io.nfvlab.api.expansion.builtins;

/** Sizes of an expanded built-in, saturating at Long.MAX_VALUE so that absurd parameters stay comparable. */
public record Size(long hosts, long switches, long links) {
    static long mul(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    static long add(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
