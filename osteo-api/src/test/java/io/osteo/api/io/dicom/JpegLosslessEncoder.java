package io.osteo.api.io.dicom;

import java.io.ByteArrayOutputStream;

/**
 * Test fixture: a minimal JPEG lossless (ITU T.81 process 14, SOF3) encoder for one grey-scale
 * component, with predictor 1..7 and a fixed Huffman table (17 categories, 5-bit codes). Written
 * here because no Maven Central library encodes lossless JPEG; the reader under test decodes it
 * with TwelveMonkeys.
 */
final class JpegLosslessEncoder {
    private JpegLosslessEncoder() {
    }

    /** Encodes {@code samples} (unsigned, {@code precision} bits, row-major) of a w x h image. */
    static byte[] encode(int[] samples, int w, int h, int precision, int predictor) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        marker(out, 0xD8);
        marker(out, 0xC3);
        u16(out, 11);
        out.write(precision);
        u16(out, h);
        u16(out, w);
        out.write(1);
        out.write(1);
        out.write(0x11);
        out.write(0);
        marker(out, 0xC4);
        u16(out, 2 + 1 + 16 + 17);
        out.write(0x00);
        for (int len = 1; len <= 16; len++) {
            out.write(len == 5 ? 17 : 0);
        }
        for (int s = 0; s <= 16; s++) {
            out.write(s);
        }
        marker(out, 0xDA);
        u16(out, 8);
        out.write(1);
        out.write(1);
        out.write(0x00);
        out.write(predictor);
        out.write(0);
        out.write(0);
        BitWriter bits = new BitWriter(out);
        int mask = (1 << precision) - 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = samples[y * w + x] & mask;
                int pred;
                if (x == 0 && y == 0) {
                    pred = 1 << (precision - 1);
                } else if (y == 0) {
                    pred = samples[x - 1] & mask;
                } else if (x == 0) {
                    pred = samples[(y - 1) * w] & mask;
                } else {
                    int ra = samples[y * w + x - 1] & mask;
                    int rb = samples[(y - 1) * w + x] & mask;
                    int rc = samples[(y - 1) * w + x - 1] & mask;
                    pred = switch (predictor) {
                        case 1 -> ra;
                        case 2 -> rb;
                        case 3 -> rc;
                        case 4 -> ra + rb - rc;
                        case 5 -> ra + ((rb - rc) >> 1);
                        case 6 -> rb + ((ra - rc) >> 1);
                        case 7 -> (ra + rb) >> 1;
                        default -> throw new IllegalArgumentException("predictor " + predictor);
                    };
                }
                int diff = (v - pred) & 0xFFFF;
                if (diff >= 0x8000) {
                    diff -= 0x10000;
                }
                int ssss = diff == -0x8000 ? 16 : 32 - Integer.numberOfLeadingZeros(Math.abs(diff));
                bits.write(ssss, 5);
                if (ssss > 0 && ssss < 16) {
                    int extra = diff > 0 ? diff : diff - 1;
                    bits.write(extra & ((1 << ssss) - 1), ssss);
                }
            }
        }
        bits.flush();
        marker(out, 0xD9);
        return out.toByteArray();
    }

    private static void marker(ByteArrayOutputStream out, int m) {
        out.write(0xFF);
        out.write(m);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v & 0xFF);
    }

    private static final class BitWriter {
        private final ByteArrayOutputStream out;
        private int acc;
        private int n;

        BitWriter(ByteArrayOutputStream out) {
            this.out = out;
        }

        void write(int value, int count) {
            for (int i = count - 1; i >= 0; i--) {
                acc = acc << 1 | ((value >>> i) & 1);
                if (++n == 8) {
                    emit();
                }
            }
        }

        private void emit() {
            out.write(acc);
            if (acc == 0xFF) {
                out.write(0);
            }
            acc = 0;
            n = 0;
        }

        void flush() {
            while (n != 0) {
                acc = acc << 1 | 1;
                if (++n == 8) {
                    emit();
                }
            }
        }
    }
}
