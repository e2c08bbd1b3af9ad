package io.osteo.api.io.dicom;

import java.nio.file.Path;

/**
 * DICOM RLE lossless (PS3.5 annex G): a 64-byte header of segment offsets, then one PackBits
 * segment per byte plane, most significant byte first. Decodes one frame into allocated words.
 */
final class RleDecoder {
    private RleDecoder() {
    }

    /** Decodes a frame of {@code pixels} samples of {@code bytesPerSample} bytes into raw words. */
    static int[] decode(Path file, byte[] b, int offset, int length, int pixels, int bytesPerSample) {
        if (length < 64) {
            throw new DicomFormatException(file, "RLE frame of " + length + " bytes is shorter than its 64-byte header");
        }
        int segments = le32(b, offset);
        if (segments != bytesPerSample) {
            throw new DicomFormatException(file, "RLE frame has " + segments + " segments, " + bytesPerSample
                    + " expected for " + (8 * bytesPerSample) + "-bit grey-scale");
        }
        int[] words = new int[pixels];
        byte[] plane = new byte[pixels];
        for (int s = 0; s < segments; s++) {
            long start = le32(b, offset + 4 + 4 * s) & 0xFFFFFFFFL;
            long end = s + 1 < segments ? le32(b, offset + 8 + 4 * s) & 0xFFFFFFFFL : length;
            if (start < 64 || end > length || start > end) {
                throw new DicomFormatException(file, "RLE segment " + s + " lies outside its frame (offsets " + start
                        + ".." + end + " of " + length + " bytes)");
            }
            unpack(file, b, offset + (int) start, offset + (int) end, plane, s);
            int shift = 8 * (segments - 1 - s);
            for (int i = 0; i < pixels; i++) {
                words[i] |= (plane[i] & 0xFF) << shift;
            }
        }
        return words;
    }

    private static void unpack(Path file, byte[] b, int from, int to, byte[] dst, int segment) {
        int p = from;
        int o = 0;
        while (o < dst.length) {
            if (p >= to) {
                throw new DicomFormatException(file, "RLE segment " + segment + " ends after " + o + " of "
                        + dst.length + " bytes (truncated pixel data)");
            }
            int n = b[p++];
            if (n >= 0) {
                int count = n + 1;
                if (p + count > to || o + count > dst.length) {
                    throw new DicomFormatException(file, "RLE segment " + segment + " literal run overruns its "
                            + (p + count > to ? "segment" : "frame"));
                }
                System.arraycopy(b, p, dst, o, count);
                p += count;
                o += count;
            } else if (n != -128) {
                int count = 1 - n;
                if (p >= to || o + count > dst.length) {
                    throw new DicomFormatException(file, "RLE segment " + segment + " replicate run overruns its "
                            + (p >= to ? "segment" : "frame"));
                }
                byte v = b[p++];
                for (int i = 0; i < count; i++) {
                    dst[o++] = v;
                }
            }
        }
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
