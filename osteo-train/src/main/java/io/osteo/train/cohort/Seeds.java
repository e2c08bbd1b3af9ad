package io.osteo.train.cohort;

/**
 * Derives independent seeds from the master seed, so each patient and vertebra has its own random
 * stream and results do not depend on generation order or thread count.
 */
final class Seeds {
    private Seeds() {}

    /** SplitMix64 finaliser over (seed, stream, index): well-mixed, cheap, stable across JVMs. */
    static long derive(long seed, long stream, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (stream * 0x100000001B3L + index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
