package io.osteo.api.io.dicom;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The top-level attributes of one parsed DICOM file that this reader may need (values up to
 * {@link DicomParser#MAX_KEPT_VALUE} bytes; nested sequences are skipped), and where the pixel
 * data lies in {@link #buffer()}: one native block, or the fragments of encapsulated data.
 */
final class DicomDataSet {
    private final Path file;
    private final TransferSyntax syntax;
    private final Map<Integer, byte[]> values = new HashMap<>();
    private byte[] buffer;
    private int pixelOffset = -1;
    private int pixelLength;
    private List<int[]> fragments; // {offset, length} in buffer; null for native pixel data
    private boolean pixelsPresent;

    DicomDataSet(Path file, TransferSyntax syntax) {
        this.file = file;
        this.syntax = syntax;
    }

    Path file() {
        return file;
    }

    TransferSyntax syntax() {
        return syntax;
    }

    void put(int tag, byte[] value) {
        values.put(tag, value);
    }

    void nativePixels(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.pixelOffset = offset;
        this.pixelLength = length;
        this.fragments = null;
    }

    void encapsulatedPixels(byte[] buffer, List<int[]> fragments) {
        this.buffer = buffer;
        this.pixelOffset = -1;
        this.fragments = fragments;
    }

    /** Header-only parsing: pixel data follows the parsed attributes. */
    void pixelsPresent() {
        pixelsPresent = true;
    }

    /** True when the file has pixel data (parsed, or seen by a header-only parse). */
    boolean isImage() {
        return pixelsPresent || hasPixels();
    }

    boolean hasPixels() {
        return pixelOffset >= 0 || fragments != null;
    }

    byte[] buffer() {
        return buffer;
    }

    int pixelOffset() {
        return pixelOffset;
    }

    int pixelLength() {
        return pixelLength;
    }

    List<int[]> fragments() {
        return fragments;
    }

    boolean has(int tag) {
        return values.containsKey(tag);
    }

    /** The text of a string attribute without padding, or null when absent or empty. */
    String string(int tag) {
        byte[] v = values.get(tag);
        if (v == null) {
            return null;
        }
        String s = new String(v, StandardCharsets.ISO_8859_1);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == 0)) {
            end--;
        }
        s = s.substring(0, end).trim();
        return s.isEmpty() ? null : s;
    }

    /** A multi-valued decimal string (DS) attribute, or null when absent. */
    double[] decimals(int tag) {
        String s = string(tag);
        if (s == null) {
            return null;
        }
        String[] parts = s.split("\\\\", -1);
        double[] d = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                d[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new DicomFormatException(file, "attribute " + Tags.name(tag) + " holds \"" + abbreviate(s)
                        + "\", not decimal numbers");
            }
            if (!Double.isFinite(d[i])) {
                throw new DicomFormatException(file, "attribute " + Tags.name(tag) + " is not finite: " + abbreviate(s));
            }
        }
        return d;
    }

    /** A single decimal string, {@code fallback} when absent. */
    double decimal(int tag, double fallback) {
        double[] d = decimals(tag);
        return d == null ? fallback : d[0];
    }

    /** An integer string (IS) attribute, {@code fallback} when absent. */
    int integerString(int tag, int fallback) {
        String s = string(tag);
        if (s == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(s.split("\\\\")[0].trim().replaceFirst("^\\+", ""));
        } catch (NumberFormatException e) {
            throw new DicomFormatException(file, "attribute " + Tags.name(tag) + " holds \"" + abbreviate(s)
                    + "\", not an integer");
        }
    }

    /** An unsigned 16-bit (US) attribute in the data set's byte order, {@code fallback} when absent. */
    int unsignedShort(int tag, int fallback) {
        byte[] v = values.get(tag);
        if (v == null) {
            return fallback;
        }
        if (v.length < 2) {
            throw new DicomFormatException(file, "attribute " + Tags.name(tag) + " has " + v.length
                    + " bytes, a 16-bit value needs 2");
        }
        return syntax.bigEndian() ? ((v[0] & 0xFF) << 8) | (v[1] & 0xFF) : ((v[1] & 0xFF) << 8) | (v[0] & 0xFF);
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
