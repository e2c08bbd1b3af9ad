package io.osteo.train.store;

/**
 * IEEE 754 binary16 ("half") conversion for the cohort store's texture-map channels (Java 17 has
 * no {@code Float.floatToFloat16}). {@link #fromFloat} rounds to nearest, ties to even, with
 * gradual underflow to subnormals, overflow to infinity (|x| &gt;= 65520) and NaN kept NaN;
 * {@link #toFloat} is exact. Relative error of a normal half is at most 2^-11 (about 4.9e-4);
 * below 2^-14 (6.1e-5) the absolute error is at most 2^-25. Stateless, thread-safe.
 */
public final class Half {
    /** Largest finite half, 65504. */
    public static final float MAX_VALUE = 65504f;
    /** Smallest positive normal half, 2^-14. */
    public static final float MIN_NORMAL = 0x1p-14f;

    private Half() {}

    /** The half nearest to {@code f} (ties to even), as its 16 bits. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) {
            if (abs == 0x7f800000) {
                return (short) (sign | 0x7c00);
            }
            return (short) (sign | 0x7e00 | ((abs >>> 13) & 0x3ff)); // quiet NaN, top payload bits
        }
        if (abs >= 0x477ff000) { // >= 65520: the tie with 65536 goes to the even side, infinity
            return (short) (sign | 0x7c00);
        }
        if (abs >= 0x38800000) { // normal half: rebias the exponent, round 13 mantissa bits away
            int m = abs - 0x38000000;
            m += 0xfff + ((m >>> 13) & 1);
            return (short) (sign | (m >>> 13));
        }
        if (abs <= 0x33000000) { // <= 2^-25: rounds to zero (2^-25 itself is a tie with 2^-24, even = 0)
            return (short) sign;
        }
        int e = abs >>> 23;
        int mant = (abs & 0x7fffff) | 0x800000;
        int shift = 126 - e; // 14..24
        int q = mant >>> shift;
        int rem = mant & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rem > halfway || (rem == halfway && (q & 1) == 1)) {
            q++; // may carry into the smallest normal, which is the right encoding
        }
        return (short) (sign | q);
    }

    /** The float value of the half {@code h} (exact). */
    public static float toFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int e = (bits >>> 10) & 0x1f;
        int m = bits & 0x3ff;
        if (e == 0) {
            float v = m * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        if (e == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (m << 13));
        }
        return Float.intBitsToFloat(sign | ((e + 112) << 23) | (m << 13));
    }
}
