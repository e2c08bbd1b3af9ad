package io.osteo.train.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Half} against an independent reference: decoding from the IEEE 754 binary16 formula in
 * double, encoding by rounding in double with {@link Math#rint} (ties to even).
 */
class HalfTest {

    /** binary16 value from its fields: (-1)^s * 2^(e-15) * (1 + m/1024), subnormals 2^-14 * m/1024. */
    private static double referenceValue(int h) {
        int s = (h >>> 15) & 1;
        int e = (h >>> 10) & 0x1f;
        int m = h & 0x3ff;
        double v;
        if (e == 0) {
            v = Math.scalb((double) m, -24);
        } else if (e == 31) {
            v = m == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            v = Math.scalb(1.0 + m / 1024.0, e - 15);
        }
        return s == 1 ? -v : v;
    }

    /** Nearest binary16 to f, ties to even, computed in double arithmetic. */
    private static int referenceEncode(float f) {
        int sign = (Float.floatToRawIntBits(f) >>> 16) & 0x8000;
        if (Float.isNaN(f)) {
            return -1; // any NaN
        }
        double a = Math.abs((double) f);
        if (Double.isInfinite(a)) {
            return sign | 0x7c00;
        }
        int e = Math.max(Math.getExponent(a), -14);
        double ulp = Math.scalb(1.0, e - 10);
        double v = Math.rint(a / ulp) * ulp; // exact scaling by a power of two; rint ties to even
        if (v > 65504) {
            return sign | 0x7c00;
        }
        if (v < 0x1p-14) {
            return sign | (int) (v / 0x1p-24);
        }
        int ex = Math.getExponent(v);
        int mant = (int) ((v / Math.scalb(1.0, ex) - 1) * 1024);
        return sign | ((ex + 15) << 10) | mant;
    }

    @Test
    void everyHalfDecodesExactlyAndRoundTrips() {
        for (int h = 0; h < 65536; h++) {
            float f = Half.toFloat((short) h);
            double ref = referenceValue(h);
            if (Double.isNaN(ref)) {
                assertTrue(Float.isNaN(f), "half 0x" + Integer.toHexString(h));
                assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(f))));
                continue;
            }
            assertEquals(ref, (double) f, 0.0, "half 0x" + Integer.toHexString(h));
            assertEquals(Double.doubleToRawLongBits(ref) >>> 63, (long) (Float.floatToRawIntBits(f) >>> 31),
                    "sign of half 0x" + Integer.toHexString(h));
            assertEquals(h, Half.fromFloat(f) & 0xffff, "round trip of half 0x" + Integer.toHexString(h));
        }
    }

    @Test
    void midpointsBetweenEveryPairOfNeighboursRoundToEven() {
        for (int sign : new int[] {0, 0x8000}) {
            for (int h = 0; h < 0x7c00; h++) { // h and h + 1; h + 1 = 0x7c00 is infinity (2^16 as the next step)
                double lo = referenceValue(h);
                double hi = h + 1 == 0x7c00 ? 65536.0 : referenceValue(h + 1);
                float mid = (float) ((lo + hi) / 2); // at most 12 significant bits: exact in float
                assertEquals((lo + hi) / 2, mid, 0.0);
                if (sign != 0) {
                    mid = -mid;
                }
                int even = (h & 1) == 0 ? h : h + 1;
                assertEquals(sign | even, Half.fromFloat(mid) & 0xffff, "tie above half 0x" + Integer.toHexString(h));
                assertEquals(sign | h, Half.fromFloat(Math.nextAfter(mid, 0.0)) & 0xffff, "below tie 0x" + Integer.toHexString(h));
                assertEquals(sign | (h + 1), Half.fromFloat(Math.nextAfter(mid, mid > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY)) & 0xffff,
                        "above tie 0x" + Integer.toHexString(h));
            }
        }
    }

    @Test
    void sampledFloatsMatchTheReference() {
        // every 1021st float bit pattern (4.2 million, all exponents) plus random ones
        for (long bits = 0; bits <= 0xffffffffL; bits += 1021) {
            check(Float.intBitsToFloat((int) bits));
        }
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 1_000_000; i++) {
            check((float) (r.nextGaussian() * Math.pow(10, r.nextInt(-9, 6))));
        }
        check(Float.MAX_VALUE);
        check(Float.MIN_VALUE);
        check(65520f);
        check(Math.nextDown(65520f));
        check(0x1p-25f);
        check(Math.nextUp(0x1p-25f));
        check(-0f);
    }

    private static void check(float f) {
        int ref = referenceEncode(f);
        int got = Half.fromFloat(f) & 0xffff;
        if (ref < 0) {
            assertTrue(Float.isNaN(Half.toFloat((short) got)), "NaN stays NaN");
        } else {
            assertEquals(ref, got, () -> "float " + f + " (0x" + Integer.toHexString(Float.floatToRawIntBits(f)) + ")");
        }
    }

    @Test
    void errorBound() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            float f = (float) (r.nextDouble(-60000, 60000) * Math.pow(10, -r.nextInt(0, 8)));
            float back = Half.toFloat(Half.fromFloat(f));
            double bound = Math.max(Math.abs(f) * 0x1p-11, 0x1p-25);
            assertTrue(Math.abs(back - f) <= bound, f + " -> " + back);
        }
    }

}
