package io.osteo.api.io.dicom;

import java.nio.file.Path;
import java.util.List;

/**
 * Turns the pixel data of one single-frame image into HU: native (8/16/32-bit, either byte
 * order), RLE, JPEG or JPEG 2000; stored bits are masked and sign-extended, then rescaled
 * ({@code HU = stored * slope + intercept}). MONOCHROME1 only changes how an image is displayed,
 * not its modality values, so HU are the same as for MONOCHROME2.
 */
final class PixelDecoder {
    private PixelDecoder() {
    }

    /**
     * Decodes into {@code dst[offset .. offset + rows*columns)}; voxels equal to the padding value
     * become {@code paddingHu} when it is not null.
     */
    static void decode(DicomDataSet ds, PixelFormat f, float[] dst, int offset, Float paddingHu,
            long codecTimeoutMillis) {
        Path file = ds.file();
        if (!ds.hasPixels()) {
            throw new DicomFormatException(file, "image has no PixelData (7FE0,0010)");
        }
        int n = f.pixels();
        double slope = f.slope();
        double intercept = f.intercept();
        if (!ds.syntax().encapsulated()) {
            if (ds.fragments() != null) {
                throw new DicomFormatException(file, "pixel data is encapsulated but the transfer syntax "
                        + ds.syntax() + " is not");
            }
            long need = (long) n * f.bytesPerSample();
            if (ds.pixelLength() < need) {
                throw new DicomFormatException(file, "truncated pixel data: " + ds.pixelLength() + " of " + need
                        + " bytes present for " + f.columns() + "x" + f.rows() + " pixels of " + f.bitsAllocated()
                        + " bits");
            }
            decodeNative(ds.buffer(), ds.pixelOffset(), ds.syntax().bigEndian(), f, dst, offset);
        } else {
            List<int[]> fragments = ds.fragments();
            if (fragments == null || fragments.isEmpty()) {
                throw new DicomFormatException(file, "transfer syntax " + ds.syntax()
                        + " needs encapsulated pixel data, found " + (fragments == null ? "native data" : "no fragment"));
            }
            byte[] b = ds.buffer();
            int from;
            int length;
            if (fragments.size() == 1) {
                from = fragments.get(0)[0];
                length = fragments.get(0)[1];
            } else {
                long total = 0;
                for (int[] fr : fragments) {
                    total += fr[1];
                }
                byte[] joined = new byte[(int) total]; // total <= file length
                int p = 0;
                for (int[] fr : fragments) {
                    System.arraycopy(b, fr[0], joined, p, fr[1]);
                    p += fr[1];
                }
                b = joined;
                from = 0;
                length = joined.length;
            }
            int[] words = switch (ds.syntax().codec()) {
                case RLE -> RleDecoder.decode(file, b, from, length, n, f.bytesPerSample());
                case JPEG -> ImageIoCodecs.decodeJpeg(file, b, from, length, f, codecTimeoutMillis);
                case JPEG_2000 -> ImageIoCodecs.decodeJpeg2000(file, b, from, length, f, codecTimeoutMillis);
                case NATIVE -> throw new IllegalStateException();
            };
            for (int i = 0; i < n; i++) {
                dst[offset + i] = (float) (f.sample(words[i]) * slope + intercept);
            }
        }
        if (paddingHu != null && f.padding() != null) {
            float padded = (float) (f.padding() * slope + intercept);
            float to = paddingHu;
            for (int i = offset; i < offset + n; i++) {
                if (dst[i] == padded) {
                    dst[i] = to;
                }
            }
        }
    }

    private static void decodeNative(byte[] b, int at, boolean bigEndian, PixelFormat f, float[] dst, int offset) {
        int n = f.pixels();
        double slope = f.slope();
        double intercept = f.intercept();
        switch (f.bitsAllocated()) {
            case 8 -> {
                for (int i = 0; i < n; i++) {
                    dst[offset + i] = (float) (f.sample(b[at + i] & 0xFF) * slope + intercept);
                }
            }
            case 16 -> {
                boolean plain = f.plain();
                boolean signed = f.signed();
                int hi = bigEndian ? 0 : 1;
                int lo = 1 - hi;
                if (slope == 1.0) {
                    float fi = (float) intercept;
                    boolean exact = fi == intercept;
                    for (int i = 0, p = at; i < n; i++, p += 2) {
                        int raw = (b[p + hi] & 0xFF) << 8 | (b[p + lo] & 0xFF);
                        int v = plain ? (signed ? (short) raw : raw) : f.sample(raw);
                        dst[offset + i] = exact ? v + fi : (float) (v + intercept);
                    }
                } else {
                    for (int i = 0, p = at; i < n; i++, p += 2) {
                        int raw = (b[p + hi] & 0xFF) << 8 | (b[p + lo] & 0xFF);
                        int v = plain ? (signed ? (short) raw : raw) : f.sample(raw);
                        dst[offset + i] = (float) (v * slope + intercept);
                    }
                }
            }
            default -> { // 32
                for (int i = 0, p = at; i < n; i++, p += 4) {
                    int raw = bigEndian
                            ? (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF)
                            : (b[p + 3] & 0xFF) << 24 | (b[p + 2] & 0xFF) << 16 | (b[p + 1] & 0xFF) << 8 | (b[p] & 0xFF);
                    double v = f.plain() ? (f.signed() ? raw : raw & 0xFFFFFFFFL) : f.sample(raw);
                    dst[offset + i] = (float) (v * slope + intercept);
                }
            }
        }
    }
}
