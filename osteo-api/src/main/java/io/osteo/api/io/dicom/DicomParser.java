package io.osteo.api.io.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Our DICOM Part 10 parser. Reads the preamble and {@code DICM} magic, the group 0002 meta
 * information (explicit VR little endian), then the data set in the transfer syntax it names
 * (implicit or explicit VR, little or big endian, deflated); files without preamble and meta are
 * read as implicit VR little endian (or explicit, when the first element carries a VR). Sequences
 * and items of defined and undefined length are skipped, encapsulated pixel data is split into its
 * fragments (the basic offset table is skipped), odd lengths and private tags are tolerated.
 * Every length is checked against the bytes left before it is used; any inconsistency is a
 * {@link DicomFormatException} naming the file.
 */
final class DicomParser {
    /** Top-level values longer than this are not kept (only short attributes are ever needed). */
    static final int MAX_KEPT_VALUE = 4096;
    /** Nesting of sequences beyond this is refused (guards the stack against crafted files). */
    static final int MAX_DEPTH = 24;
    /** A deflated data set that inflates beyond this is refused. */
    static final int MAX_INFLATED = Integer.MAX_VALUE - 64;

    private static final int UNDEFINED = -1;

    private final Path file;
    private byte[] b;
    private int pos;
    private boolean bigEndian;
    private boolean explicit;
    private DicomDataSet out;
    private final boolean headerOnly;

    private DicomParser(Path file, byte[] bytes, boolean headerOnly) {
        this.file = file;
        this.b = bytes;
        this.headerOnly = headerOnly;
    }

    /** True when {@code bytes} (the start of a file) look like DICOM: Part 10 magic, or a bare data set. */
    static boolean looksLikeDicom(byte[] bytes, int length) {
        if (length >= 132 && bytes[128] == 'D' && bytes[129] == 'I' && bytes[130] == 'C' && bytes[131] == 'M') {
            return true;
        }
        if (length < 8) {
            return false;
        }
        int group = (bytes[0] & 0xFF) | (bytes[1] & 0xFF) << 8;
        int element = (bytes[2] & 0xFF) | (bytes[3] & 0xFF) << 8;
        if (group == 0x0002 && element <= 0x0002) {
            return true; // meta group without preamble
        }
        if (group != 0x0008 || element > 0x0020) {
            return false; // a bare data set starts in group 0008 (SpecificCharacterSet, ImageType, SOP class...)
        }
        if (isVr(bytes[4], bytes[5])) {
            return true;
        }
        long len = (bytes[4] & 0xFFL) | (bytes[5] & 0xFFL) << 8 | (bytes[6] & 0xFFL) << 16 | (bytes[7] & 0xFFL) << 24;
        return len < 1024;
    }

    /** Parses a whole file held in {@code bytes}. */
    static DicomDataSet parse(Path file, byte[] bytes) {
        return new DicomParser(file, bytes, false).parse();
    }

    /**
     * Parses the attributes before the pixel data, which may be all that {@code bytes} holds (a
     * prefix of the file); the result only records whether pixel data follows. A prefix that ends
     * earlier gives a truncation error: the caller then parses the whole file.
     */
    static DicomDataSet parseHeader(Path file, byte[] bytes) {
        return new DicomParser(file, bytes, true).parse();
    }

    private DicomDataSet parse() {
        String syntaxUid;
        boolean meta;
        if (b.length >= 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M') {
            pos = 132;
            meta = true;
        } else {
            pos = 0;
            if (!looksLikeDicom(b, b.length)) {
                throw new DicomFormatException(file, "not a DICOM file (no DICM magic at byte 128 and no data set at"
                        + " the start)");
            }
            meta = b.length >= 4 && u16le(0) == 0x0002;
        }
        if (meta) {
            syntaxUid = readMeta();
        } else {
            syntaxUid = isVr(b[4], b[5]) ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid()
                    : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid();
        }
        TransferSyntax syntax = TransferSyntax.ofUid(syntaxUid);
        if (syntax == null) {
            throw new DicomFormatException(file, "unsupported transfer syntax " + TransferSyntax.describe(syntaxUid)
                    + "; supported: " + Arrays.toString(TransferSyntax.values()));
        }
        out = new DicomDataSet(file, syntax);
        if (syntax.deflated()) {
            b = inflate(b, pos);
            pos = 0;
        }
        explicit = syntax.explicitVr();
        bigEndian = syntax.bigEndian();
        readElements(b.length, 0, true);
        return out;
    }

    private String readMeta() {
        explicit = true;
        bigEndian = false;
        String syntax = null;
        int metaEnd = -1;
        while (pos + 8 <= b.length && u16le(pos) == 0x0002 && (metaEnd < 0 || pos < metaEnd)) {
            int tag = 0x00020000 | u16le(pos + 2);
            String vr = new String(b, pos + 4, 2, StandardCharsets.ISO_8859_1);
            int len;
            int start;
            if (isLongVr(vr)) {
                need(pos + 12, "meta element " + Tags.hex(tag));
                len = (int) Math.min(Integer.MAX_VALUE, u32(pos + 8));
                start = pos + 12;
            } else {
                len = u16le(pos + 6);
                start = pos + 8;
            }
            if (len < 0 || len > b.length - start) {
                throw new DicomFormatException(file, "meta element " + Tags.hex(tag) + " claims " + len
                        + " bytes but only " + (b.length - start) + " remain (truncated or corrupt file meta)");
            }
            if (tag == 0x00020000 && len == 4) {
                long groupLength = u32(start);
                metaEnd = (int) Math.min(b.length, start + 4 + groupLength);
            } else if (tag == Tags.TRANSFER_SYNTAX_UID) {
                syntax = new String(b, start, len, StandardCharsets.ISO_8859_1).replace("\0", "").trim();
            }
            pos = start + len;
        }
        if (syntax == null) {
            throw new DicomFormatException(file, "file meta information has no TransferSyntaxUID (0002,0010)");
        }
        return syntax;
    }

    /**
     * Reads elements until {@code end}, or until an item delimitation when {@code end} is
     * {@link #UNDEFINED}. Only top-level elements are kept.
     */
    private void readElements(int end, int depth, boolean top) {
        if (depth > MAX_DEPTH) {
            throw new DicomFormatException(file, "sequences nested deeper than " + MAX_DEPTH + " levels");
        }
        int limit = end == UNDEFINED ? b.length : end;
        while (pos < limit) {
            if (top && limit - pos < 8 && allZero(pos, limit)) {
                pos = limit; // trailing padding
                break;
            }
            need(pos + 8, "element header");
            int tag = tag(pos);
            if ((tag >>> 16) == 0xFFFE) {
                if (tag == Tags.ITEM_DELIMITATION && end == UNDEFINED) {
                    pos += 8;
                    return;
                }
                throw new DicomFormatException(file, "unexpected delimiter " + Tags.hex(tag) + " at byte " + pos);
            }
            if (top && headerOnly && tag == Tags.PIXEL_DATA) {
                out.pixelsPresent();
                pos = limit;
                return;
            }
            String vr = null;
            long len;
            if (explicit) {
                vr = new String(b, pos + 4, 2, StandardCharsets.ISO_8859_1);
                if (!isVr(b[pos + 4], b[pos + 5])) {
                    throw new DicomFormatException(file, "element " + Tags.hex(tag) + " at byte " + pos
                            + " has no valid VR (explicit VR syntax), the data set is corrupt");
                }
                if (isLongVr(vr)) {
                    need(pos + 12, "element header");
                    len = u32(pos + 8);
                    pos += 12;
                } else {
                    len = u16(pos + 6);
                    pos += 8;
                }
            } else {
                len = u32(pos + 4);
                pos += 8;
            }
            if (len == 0xFFFFFFFFL) {
                if (tag == Tags.PIXEL_DATA) {
                    List<int[]> fragments = readFragments(depth);
                    if (top) {
                        out.encapsulatedPixels(b, fragments);
                    }
                } else if (vr == null || vr.equals("SQ")) {
                    readSequence(depth + 1);
                } else if (vr.equals("UN")) {
                    boolean saved = explicit;
                    explicit = false; // UN of undefined length holds implicit VR little endian (PS3.5 6.2.2)
                    boolean savedOrder = bigEndian;
                    bigEndian = false;
                    readSequence(depth + 1);
                    explicit = saved;
                    bigEndian = savedOrder;
                } else {
                    throw new DicomFormatException(file, "element " + Tags.hex(tag) + " of VR " + vr
                            + " has undefined length, which only sequences and pixel data may have");
                }
                continue;
            }
            if (len > limit - pos) {
                throw new DicomFormatException(file, "element " + Tags.hex(tag) + " at byte " + (pos - 8)
                        + " claims " + len + " bytes but only " + (limit - pos)
                        + " remain (truncated file or lying length)");
            }
            int n = (int) len;
            if (top) {
                if (tag == Tags.PIXEL_DATA) {
                    out.nativePixels(b, pos, n);
                } else if (n <= MAX_KEPT_VALUE) {
                    out.put(tag, Arrays.copyOfRange(b, pos, pos + n));
                }
            }
            pos += n;
        }
        if (end == UNDEFINED) {
            throw new DicomFormatException(file, "item of undefined length has no item delimitation (truncated file)");
        }
        if (pos != limit) {
            throw new DicomFormatException(file, "elements overrun their item by " + (pos - limit) + " bytes");
        }
    }

    /** Reads the items of a sequence of undefined length up to its delimitation. */
    private void readSequence(int depth) {
        if (depth > MAX_DEPTH) {
            throw new DicomFormatException(file, "sequences nested deeper than " + MAX_DEPTH + " levels");
        }
        while (true) {
            need(pos + 8, "sequence item (undelimited sequence: truncated file)");
            int tag = tag(pos);
            long len = u32(pos + 4);
            pos += 8;
            if (tag == Tags.SEQUENCE_DELIMITATION) {
                return;
            }
            if (tag != Tags.ITEM) {
                throw new DicomFormatException(file, "sequence holds " + Tags.hex(tag) + " at byte " + (pos - 8)
                        + " where an item was expected");
            }
            if (len == 0xFFFFFFFFL) {
                readElements(UNDEFINED, depth + 1, false);
            } else {
                if (len > b.length - pos) {
                    throw new DicomFormatException(file, "sequence item at byte " + (pos - 8) + " claims " + len
                            + " bytes but only " + (b.length - pos) + " remain");
                }
                pos += (int) len; // content of a defined-length item: skipped
            }
        }
    }

    /** Encapsulated pixel data: the offset table item, then fragments, then the delimitation. */
    private List<int[]> readFragments(int depth) {
        List<int[]> fragments = new ArrayList<>();
        boolean first = true;
        while (true) {
            need(pos + 8, "pixel data fragment (truncated encapsulated pixel data)");
            int tag = tag(pos);
            long len = u32(pos + 4);
            pos += 8;
            if (tag == Tags.SEQUENCE_DELIMITATION) {
                return fragments;
            }
            if (tag != Tags.ITEM || len == 0xFFFFFFFFL) {
                throw new DicomFormatException(file, "encapsulated pixel data holds " + Tags.hex(tag)
                        + " at byte " + (pos - 8) + " where a fragment item was expected");
            }
            if (len > b.length - pos) {
                throw new DicomFormatException(file, "pixel data fragment at byte " + (pos - 8) + " claims " + len
                        + " bytes but only " + (b.length - pos) + " remain (truncated pixel data)");
            }
            if (!first) {
                fragments.add(new int[] {pos, (int) len});
            }
            first = false;
            pos += (int) len;
        }
    }

    private byte[] inflate(byte[] src, int offset) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(src, offset, src.length - offset);
            ByteArrayOutputStream bos = new ByteArrayOutputStream(Math.max(1024, (src.length - offset) * 4));
            byte[] chunk = new byte[1 << 16];
            long total = 0;
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0) {
                    if (inflater.needsInput()) {
                        throw new DicomFormatException(file, "truncated deflated data set (deflate stream ends early)");
                    }
                    if (inflater.needsDictionary()) {
                        throw new DicomFormatException(file, "deflated data set needs a preset dictionary (corrupt)");
                    }
                }
                total += n;
                if (total > MAX_INFLATED) {
                    throw new DicomFormatException(file, "deflated data set inflates beyond 2 GiB");
                }
                bos.write(chunk, 0, n);
            }
            return bos.toByteArray();
        } catch (DataFormatException e) {
            throw new DicomFormatException(file, "corrupt deflated data set: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private void need(int upTo, String what) {
        if (upTo > b.length || upTo < 0) {
            throw new DicomFormatException(file, "truncated file: " + what + " at byte " + pos + " needs "
                    + (upTo - pos) + " bytes, " + (b.length - pos) + " remain");
        }
    }

    private boolean allZero(int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private int tag(int at) {
        return u16(at) << 16 | u16(at + 2);
    }

    private int u16(int at) {
        return bigEndian ? (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF) : (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private int u16le(int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private long u32(int at) {
        if (bigEndian) {
            return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
        }
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }

    private static boolean isVr(byte c0, byte c1) {
        return c0 >= 'A' && c0 <= 'Z' && c1 >= 'A' && c1 <= 'Z';
    }

    private static boolean isLongVr(String vr) {
        return switch (vr) {
            case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" -> true;
            default -> false;
        };
    }
}
