package io.osteo.api.io.dicom;

import java.nio.file.Path;

/**
 * Checks the main header of a JPEG 2000 code stream (SIZ and COD/COC markers, up to the first
 * tile part) before jai-imageio sees it: image size equal to the DICOM header's, one component
 * of at most 16 bits, sane tile, layer, decomposition and code-block counts. Damaged values there
 * made the decoder loop for minutes in fuzzing; refusing them keeps reading bounded.
 */
final class Jpeg2000Header {
    static final int MAX_LAYERS = 256;
    static final int MAX_LEVELS = 15;
    static final int MAX_TILES = 65536;

    private Jpeg2000Header() {
    }

    static void check(Path file, byte[] b, int offset, int length, PixelFormat f) {
        int end = offset + length;
        if (length >= 12 && u32(b, offset) == 12 && u32(b, offset + 4) == 0x6A502020) {
            return; // JP2 file format wrapper (not what DICOM asks for): left to the decoder
        }
        if (length < 4 || u16(b, offset) != 0xFF4F) {
            throw new DicomFormatException(file, "JPEG 2000 pixel data does not start with a code stream (SOC marker)");
        }
        int p = offset + 2;
        boolean siz = false;
        while (true) {
            if (p + 4 > end) {
                throw new DicomFormatException(file, "JPEG 2000 main header is truncated");
            }
            int marker = u16(b, p);
            if (marker == 0xFF90 || marker == 0xFF93) { // SOT: main header done
                if (!siz) {
                    throw new DicomFormatException(file, "JPEG 2000 code stream has no SIZ marker");
                }
                return;
            }
            if ((marker & 0xFF00) != 0xFF00) {
                throw new DicomFormatException(file, "JPEG 2000 main header is corrupt (no marker at byte " + (p - offset)
                        + ")");
            }
            int len = u16(b, p + 2);
            if (len < 2 || p + 2 + len > end) {
                throw new DicomFormatException(file, "JPEG 2000 marker " + Integer.toHexString(marker) + " claims " + len
                        + " bytes beyond the code stream");
            }
            int s = p + 4;
            switch (marker) {
                case 0xFF51 -> {
                    siz(file, b, s, len, f);
                    siz = true;
                }
                case 0xFF52 -> cod(file, b, s, len);
                default -> { }
            }
            p += 2 + len;
        }
    }

    private static void siz(Path file, byte[] b, int s, int len, PixelFormat f) {
        if (len < 41) {
            throw new DicomFormatException(file, "JPEG 2000 SIZ marker is too short");
        }
        long xsiz = u32(b, s + 2);
        long ysiz = u32(b, s + 6);
        long xo = u32(b, s + 10);
        long yo = u32(b, s + 14);
        long xt = u32(b, s + 18);
        long yt = u32(b, s + 22);
        long xto = u32(b, s + 26);
        long yto = u32(b, s + 30);
        int components = u16(b, s + 34);
        if (xsiz - xo != f.columns() || ysiz - yo != f.rows()) {
            throw new DicomFormatException(file, "JPEG 2000 stream is " + (xsiz - xo) + "x" + (ysiz - yo)
                    + " but the header says " + f.columns() + "x" + f.rows());
        }
        if (components != 1 || len < 38 + 3 * components) {
            throw new DicomFormatException(file, "JPEG 2000 stream has " + components + " components, 1 expected");
        }
        int depth = (b[s + 36] & 0x7F) + 1;
        if (depth > 16 || b[s + 37] != 1 || b[s + 38] != 1) {
            throw new DicomFormatException(file, "JPEG 2000 component of " + depth + " bits or subsampled: not CT");
        }
        if (xt < 1 || yt < 1 || xto > xo || yto > yo || xto + xt <= xo || yto + yt <= yo) {
            throw new DicomFormatException(file, "JPEG 2000 tiling is invalid");
        }
        long tiles = ((xsiz - xto + xt - 1) / xt) * ((ysiz - yto + yt - 1) / yt);
        if (tiles > MAX_TILES) {
            throw new DicomFormatException(file, "JPEG 2000 stream claims " + tiles + " tiles");
        }
    }

    private static void cod(Path file, byte[] b, int s, int len) {
        if (len < 12) {
            throw new DicomFormatException(file, "JPEG 2000 COD marker is too short");
        }
        int order = b[s + 1] & 0xFF;
        int layers = u16(b, s + 2);
        int levels = b[s + 5] & 0xFF;
        int xcb = b[s + 6] & 0xFF;
        int ycb = b[s + 7] & 0xFF;
        if (order > 4 || layers < 1 || layers > MAX_LAYERS || levels > MAX_LEVELS || xcb > 8 || ycb > 8
                || xcb + ycb > 8) {
            throw new DicomFormatException(file, "JPEG 2000 coding style is out of range (progression " + order
                    + ", " + layers + " layers, " + levels + " levels, code blocks 2^" + (xcb + 2) + " x 2^" + (ycb + 2)
                    + ")");
        }
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
    }
}
