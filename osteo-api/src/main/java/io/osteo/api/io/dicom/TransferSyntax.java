package io.osteo.api.io.dicom;

import java.util.Locale;

/**
 * The DICOM transfer syntaxes this reader decodes (see {@code dicom.md}): how the data set is
 * encoded (explicit or implicit VR, byte order, deflate) and how the pixel data is compressed.
 */
public enum TransferSyntax {
    IMPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2", false, false, false, Codec.NATIVE),
    EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1", true, false, false, Codec.NATIVE),
    DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1.99", true, false, true, Codec.NATIVE),
    EXPLICIT_VR_BIG_ENDIAN("1.2.840.10008.1.2.2", true, true, false, Codec.NATIVE),
    RLE_LOSSLESS("1.2.840.10008.1.2.5", true, false, false, Codec.RLE),
    /** JPEG lossless, non-hierarchical, process 14 (any predictor). */
    JPEG_LOSSLESS_PROCESS_14("1.2.840.10008.1.2.4.57", true, false, false, Codec.JPEG),
    /** JPEG lossless, process 14, selection value 1 (first-order prediction): the usual PACS lossless syntax. */
    JPEG_LOSSLESS_SV1("1.2.840.10008.1.2.4.70", true, false, false, Codec.JPEG),
    JPEG_2000_LOSSLESS("1.2.840.10008.1.2.4.90", true, false, false, Codec.JPEG_2000),
    JPEG_2000("1.2.840.10008.1.2.4.91", true, false, false, Codec.JPEG_2000);

    /** How the pixel data of a syntax is stored. */
    enum Codec { NATIVE, RLE, JPEG, JPEG_2000 }

    private final String uid;
    private final boolean explicitVr;
    private final boolean bigEndian;
    private final boolean deflated;
    private final Codec codec;

    TransferSyntax(String uid, boolean explicitVr, boolean bigEndian, boolean deflated, Codec codec) {
        this.uid = uid;
        this.explicitVr = explicitVr;
        this.bigEndian = bigEndian;
        this.deflated = deflated;
        this.codec = codec;
    }

    /** The transfer syntax UID. */
    public String uid() {
        return uid;
    }

    public boolean explicitVr() {
        return explicitVr;
    }

    public boolean bigEndian() {
        return bigEndian;
    }

    public boolean deflated() {
        return deflated;
    }

    /** True when the pixel data is encapsulated (compressed fragments). */
    public boolean encapsulated() {
        return codec != Codec.NATIVE;
    }

    Codec codec() {
        return codec;
    }

    /** The syntax of {@code uid}, or null when this reader does not support it. */
    public static TransferSyntax ofUid(String uid) {
        for (TransferSyntax t : values()) {
            if (t.uid.equals(uid)) {
                return t;
            }
        }
        return null;
    }

    /** A readable name of a UID for error messages ("1.2.840.10008.1.2.4.50 (JPEG baseline)"). */
    static String describe(String uid) {
        String name = switch (uid) {
            case "1.2.840.10008.1.2.4.50" -> "JPEG baseline (lossy 8-bit)";
            case "1.2.840.10008.1.2.4.51" -> "JPEG extended (lossy 12-bit)";
            case "1.2.840.10008.1.2.4.80" -> "JPEG-LS lossless";
            case "1.2.840.10008.1.2.4.81" -> "JPEG-LS near-lossless";
            case "1.2.840.10008.1.2.4.92", "1.2.840.10008.1.2.4.93" -> "JPEG 2000 part 2 multi-component";
            case "1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.101", "1.2.840.10008.1.2.4.102",
                    "1.2.840.10008.1.2.4.103" -> "MPEG video";
            case "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203" -> "HTJ2K";
            default -> null;
        };
        return name == null ? uid : uid + " (" + name + ")";
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT) + " (" + uid + ")";
    }
}
