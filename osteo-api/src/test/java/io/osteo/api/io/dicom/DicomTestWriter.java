package io.osteo.api.io.dicom;

import com.github.jaiimageio.jpeg2000.J2KImageWriteParam;
import com.github.jaiimageio.jpeg2000.impl.J2KImageWriter;
import com.github.jaiimageio.jpeg2000.impl.J2KImageWriterSpi;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Test fixture: writes single-frame CT images as DICOM in every transfer syntax the reader
 * supports, with the attributes a real scanner writes plus the awkward parts of real files
 * (private tags, an odd-length element, sequences of defined and undefined length holding
 * decoy positions). Native, deflated, RLE and JPEG lossless are encoded here; JPEG 2000 with
 * jai-imageio's writer.
 */
final class DicomTestWriter {
    /** One image: fields are set directly by tests (a fixture, not an API). */
    static final class Image {
        TransferSyntax syntax = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
        boolean preamble = true;
        String modality = "CT";
        String seriesUid = "1.2.826.0.1.3680043.8.498.1";
        String seriesDescription = "test series";
        int seriesNumber = 1;
        String sopInstanceUid;
        int instanceNumber = 1;
        String imageType = "ORIGINAL\\PRIMARY\\AXIAL";
        double[] position = {0, 0, 0};
        double[] orientation = {1, 0, 0, 0, 1, 0};
        double[] pixelSpacing = {0.8, 0.7}; // row spacing, column spacing
        double sliceThickness = 2.5;
        int rows;
        int columns;
        int bitsAllocated = 16;
        int bitsStored = 16;
        int highBit = 15;
        boolean signed = true;
        String photometric = "MONOCHROME2";
        Double slope = 1.0;
        Double intercept = 0.0;
        Integer padding;
        /** Stored samples, row-major (before any high-bit junk is added). */
        int[] samples;
        /** Bits above bitsStored filled with this pattern in native data (tests masking). */
        int junkHighBits;
        /** Omit the pixel data (an SR-like object). */
        boolean noPixels;
        /** JPEG predictor for the JPEG lossless syntaxes. */
        int jpegPredictor = 1;
        /** Encoding rate of lossy JPEG 2000, bits per pixel. */
        double j2kRate = 10;
        /** Split encapsulated pixel data into this many fragments. */
        int fragments = 1;

        Image(int columns, int rows, int[] samples) {
            this.columns = columns;
            this.rows = rows;
            this.samples = samples;
        }
    }

    private final boolean explicit;
    private final boolean big;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private DicomTestWriter(boolean explicit, boolean big) {
        this.explicit = explicit;
        this.big = big;
    }

    static void write(Image im, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, encode(im));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] encode(Image im) {
        TransferSyntax ts = im.syntax;
        DicomTestWriter w = new DicomTestWriter(ts.explicitVr(), ts.bigEndian());
        String sop = im.sopInstanceUid != null ? im.sopInstanceUid : im.seriesUid + "." + im.instanceNumber;
        w.str(0x00080005, "CS", "ISO_IR 100");
        w.str(0x00080008, "CS", im.imageType);
        w.uid(0x00080016, "1.2.840.10008.5.1.4.1.1.2");
        w.uid(0x00080018, sop);
        if (im.modality != null) {
            w.str(0x00080060, "CS", im.modality);
        }
        w.str(0x0008103E, "LO", im.seriesDescription);
        // a sequence of undefined length whose item (undefined length) holds a decoy position and a nested sequence
        w.header(0x00081140, "SQ", -1);
        w.tagOnly(Tags.ITEM, -1);
        w.uid(0x00081150, "1.2.840.10008.5.1.4.1.1.2");
        w.str(Tags.IMAGE_POSITION_PATIENT, "DS", "999\\999\\999");
        w.header(0x00081199, "SQ", -1);
        w.tagOnly(Tags.ITEM, -1);
        w.uid(0x00081155, "1.2.3.4");
        w.tagOnly(Tags.ITEM_DELIMITATION, 0);
        w.tagOnly(Tags.SEQUENCE_DELIMITATION, 0);
        w.tagOnly(Tags.ITEM_DELIMITATION, 0);
        w.tagOnly(Tags.SEQUENCE_DELIMITATION, 0);
        // private creator and private elements, one of odd length
        w.str(0x00090010, "LO", "OSTEO TEST");
        w.element(0x00091001, "UN", new byte[] {1, 2, 3});
        w.str(0x00180050, "DS", ds(im.sliceThickness));
        // a sequence of defined length (its content skipped unparsed)
        DicomTestWriter item = new DicomTestWriter(ts.explicitVr(), ts.bigEndian());
        item.str(Tags.IMAGE_ORIENTATION_PATIENT, "DS", "0\\0\\1\\1\\0\\0");
        byte[] itemBytes = item.out.toByteArray();
        DicomTestWriter seq = new DicomTestWriter(ts.explicitVr(), ts.bigEndian());
        seq.tagOnly(Tags.ITEM, itemBytes.length);
        seq.out.writeBytes(itemBytes);
        w.element(0x00189346, "SQ", seq.out.toByteArray());
        w.uid(0x0020000D, "1.2.826.0.1.3680043.8.498.100");
        w.uid(Tags.SERIES_INSTANCE_UID, im.seriesUid);
        w.str(Tags.SERIES_NUMBER, "IS", Integer.toString(im.seriesNumber));
        w.str(Tags.INSTANCE_NUMBER, "IS", Integer.toString(im.instanceNumber));
        w.str(Tags.IMAGE_POSITION_PATIENT, "DS", ds(im.position));
        w.str(Tags.IMAGE_ORIENTATION_PATIENT, "DS", ds(im.orientation));
        w.us(Tags.SAMPLES_PER_PIXEL, 1);
        w.str(Tags.PHOTOMETRIC_INTERPRETATION, "CS", im.photometric);
        w.us(Tags.ROWS, im.rows);
        w.us(Tags.COLUMNS, im.columns);
        w.str(Tags.PIXEL_SPACING, "DS", ds(im.pixelSpacing));
        w.us(Tags.BITS_ALLOCATED, im.bitsAllocated);
        w.us(Tags.BITS_STORED, im.bitsStored);
        w.us(Tags.HIGH_BIT, im.highBit);
        w.us(Tags.PIXEL_REPRESENTATION, im.signed ? 1 : 0);
        if (im.padding != null) {
            w.element(Tags.PIXEL_PADDING_VALUE, im.signed ? "SS" : "US", w.u16(im.padding));
        }
        if (im.intercept != null) {
            w.str(Tags.RESCALE_INTERCEPT, "DS", ds(im.intercept));
        }
        if (im.slope != null) {
            w.str(Tags.RESCALE_SLOPE, "DS", ds(im.slope));
        }
        if (!im.noPixels) {
            if (ts.encapsulated()) {
                w.encapsulated(compress(im), im.fragments);
            } else {
                w.element(Tags.PIXEL_DATA, im.bitsAllocated == 8 ? "OB" : "OW", w.nativePixels(im));
            }
        }
        byte[] dataSet = w.out.toByteArray();
        if (ts.deflated()) {
            Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            d.setInput(dataSet);
            d.finish();
            ByteArrayOutputStream z = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                z.write(buf, 0, d.deflate(buf));
            }
            d.end();
            dataSet = z.toByteArray();
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        if (im.preamble) {
            file.writeBytes(new byte[128]);
            file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
            DicomTestWriter meta = new DicomTestWriter(true, false);
            meta.element(0x00020001, "OB", new byte[] {0, 1});
            meta.uid(0x00020002, "1.2.840.10008.5.1.4.1.1.2");
            meta.uid(0x00020003, sop);
            meta.uid(Tags.TRANSFER_SYNTAX_UID, ts.uid());
            meta.uid(0x00020012, "1.2.826.0.1.3680043.8.498");
            byte[] m = meta.out.toByteArray();
            DicomTestWriter length = new DicomTestWriter(true, false);
            length.element(0x00020000, "UL", new byte[] {(byte) m.length, (byte) (m.length >> 8), (byte) (m.length >> 16),
                (byte) (m.length >> 24)});
            file.writeBytes(length.out.toByteArray());
            file.writeBytes(m);
        } else if (ts != TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN) {
            throw new IllegalArgumentException("files without meta are implicit VR little endian");
        }
        file.writeBytes(dataSet);
        return file.toByteArray();
    }

    private byte[] nativePixels(Image im) {
        int bytes = im.bitsAllocated / 8;
        byte[] b = new byte[im.samples.length * bytes];
        int shift = im.highBit + 1 - im.bitsStored;
        long storedMask = im.bitsStored == 32 ? 0xFFFFFFFFL : (1L << im.bitsStored) - 1;
        for (int i = 0; i < im.samples.length; i++) {
            long word = (im.samples[i] & storedMask) << shift;
            if (im.junkHighBits != 0) {
                word |= ((long) im.junkHighBits << (im.highBit + 1)) & ((1L << im.bitsAllocated) - 1);
            }
            for (int k = 0; k < bytes; k++) {
                int shiftK = big ? 8 * (bytes - 1 - k) : 8 * k;
                b[i * bytes + k] = (byte) (word >>> shiftK);
            }
        }
        return b;
    }

    /** The compressed frame of an encapsulated syntax. */
    static byte[] compress(Image im) {
        int mask = im.bitsStored == 32 ? -1 : (1 << im.bitsStored) - 1;
        int[] words = new int[im.samples.length];
        for (int i = 0; i < words.length; i++) {
            words[i] = im.samples[i] & mask;
        }
        return switch (im.syntax) {
            case RLE_LOSSLESS -> rle(words, im.bitsAllocated / 8);
            case JPEG_LOSSLESS_SV1, JPEG_LOSSLESS_PROCESS_14 ->
                JpegLosslessEncoder.encode(words, im.columns, im.rows, im.bitsStored, im.jpegPredictor);
            case JPEG_2000_LOSSLESS, JPEG_2000 -> j2k(im, words);
            default -> throw new IllegalArgumentException(im.syntax.toString());
        };
    }

    private static byte[] j2k(Image im, int[] words) {
        if (im.bitsAllocated != 16 || im.signed || im.bitsStored > 15) {
            throw new IllegalArgumentException("the J2K fixture writes unsigned images of at most 15 bits");
        }
        // a colour model of exactly bitsStored bits: with TYPE_USHORT_GRAY (16 bits) jai-imageio's
        // writer shifted every sample by a constant (seen: +50) even in lossless mode
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
                new int[] {im.bitsStored}, false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster r = cm.createCompatibleWritableRaster(im.columns, im.rows);
        BufferedImage img = new BufferedImage(cm, r, false, null);
        r.setSamples(0, 0, im.columns, im.rows, 0, words);
        J2KImageWriter writer = new J2KImageWriter(new J2KImageWriterSpi());
        J2KImageWriteParam p = (J2KImageWriteParam) writer.getDefaultWriteParam();
        p.setWriteCodeStreamOnly(true);
        if (im.syntax == TransferSyntax.JPEG_2000_LOSSLESS) {
            p.setLossless(true);
            p.setFilter(J2KImageWriteParam.FILTER_53);
        } else {
            p.setLossless(false);
            p.setFilter(J2KImageWriteParam.FILTER_97);
            p.setEncodingRate(im.j2kRate);
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(bos)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, null), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bos.toByteArray();
    }

    /** DICOM RLE (PackBits per byte plane, most significant plane first). */
    static byte[] rle(int[] words, int bytesPerSample) {
        List<byte[]> segments = new ArrayList<>();
        for (int s = 0; s < bytesPerSample; s++) {
            int shift = 8 * (bytesPerSample - 1 - s);
            byte[] plane = new byte[words.length];
            for (int i = 0; i < words.length; i++) {
                plane[i] = (byte) (words[i] >>> shift);
            }
            byte[] seg = packBits(plane);
            if (seg.length % 2 == 1) {
                seg = java.util.Arrays.copyOf(seg, seg.length + 1);
            }
            segments.add(seg);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] header = new int[16];
        header[0] = segments.size();
        int offset = 64;
        for (int s = 0; s < segments.size(); s++) {
            header[s + 1] = offset;
            offset += segments.get(s).length;
        }
        for (int h : header) {
            out.write(h);
            out.write(h >> 8);
            out.write(h >> 16);
            out.write(h >> 24);
        }
        segments.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] packBits(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < in.length) {
            int run = 1;
            while (i + run < in.length && run < 128 && in[i + run] == in[i]) {
                run++;
            }
            if (run >= 2) {
                out.write(1 - run);
                out.write(in[i]);
                i += run;
            } else {
                int start = i;
                int len = 0;
                while (i < in.length && len < 128 && (i + 1 >= in.length || in[i + 1] != in[i])) {
                    i++;
                    len++;
                }
                if (len == 0) { // a run of 2 starts here; emit one literal to make progress
                    i++;
                    len = 1;
                }
                out.write(len - 1);
                out.write(in, start, len);
            }
        }
        return out.toByteArray();
    }

    private void encapsulated(byte[] frame, int fragments) {
        header(Tags.PIXEL_DATA, "OB", -1);
        tagOnly(Tags.ITEM, 0); // empty basic offset table
        int per = (frame.length / fragments) & ~1; // even fragments; only the last is padded
        for (int f = 0; f < fragments; f++) {
            int from = f * per;
            int to = f == fragments - 1 ? frame.length : from + per;
            byte[] part = java.util.Arrays.copyOfRange(frame, from, to);
            if (part.length % 2 == 1) {
                part = java.util.Arrays.copyOf(part, part.length + 1);
            }
            tagOnly(Tags.ITEM, part.length);
            out.writeBytes(part);
        }
        tagOnly(Tags.SEQUENCE_DELIMITATION, 0);
    }

    private static String ds(double... v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append('\\');
            }
            String s = String.format(Locale.ROOT, "%.10g", v[i]);
            if (s.contains(".") && !s.contains("e")) {
                s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            }
            if (s.length() > 16) {
                s = String.format(Locale.ROOT, "%.8g", v[i]).replaceAll("0+$", "").replaceAll("\\.$", "");
            }
            sb.append(s);
        }
        return sb.toString();
    }

    private void str(int tag, String vr, String value) {
        byte[] b = value.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length % 2 == 1) {
            b = java.util.Arrays.copyOf(b, b.length + 1);
            b[b.length - 1] = ' ';
        }
        element(tag, vr, b);
    }

    private void uid(int tag, String value) {
        byte[] b = value.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length % 2 == 1) {
            b = java.util.Arrays.copyOf(b, b.length + 1); // NUL padding
        }
        element(tag, "UI", b);
    }

    private void us(int tag, int v) {
        element(tag, "US", u16(v));
    }

    private byte[] u16(int v) {
        return big ? new byte[] {(byte) (v >> 8), (byte) v} : new byte[] {(byte) v, (byte) (v >> 8)};
    }

    private void element(int tag, String vr, byte[] value) {
        header(tag, vr, value.length);
        out.writeBytes(value);
    }

    private void header(int tag, String vr, int length) {
        writeTag(tag);
        if (explicit) {
            out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
            if (List.of("OB", "OD", "OF", "OL", "OW", "SQ", "UC", "UN", "UR", "UT").contains(vr)) {
                out.write(0);
                out.write(0);
                writeInt(length);
            } else {
                byte[] l = u16(length);
                out.writeBytes(l);
            }
        } else {
            writeInt(length);
        }
    }

    private void tagOnly(int tag, int length) {
        writeTag(tag);
        writeInt(length);
    }

    private void writeTag(int tag) {
        out.writeBytes(u16(tag >>> 16));
        out.writeBytes(u16(tag & 0xFFFF));
    }

    private void writeInt(int v) {
        if (big) {
            out.write(v >>> 24);
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
        } else {
            out.write(v);
            out.write(v >>> 8);
            out.write(v >>> 16);
            out.write(v >>> 24);
        }
    }
}
