package io.osteo.api.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Builds NIfTI-1 files byte by byte in tests, independently of {@link NiftiWriter}: a header with
 * defaults (3D, no transforms, vox_offset 352) whose fields a test sets at their offsets.
 */
final class HandMadeNifti {
    final ByteBuffer header;
    byte[] data = new byte[0];

    HandMadeNifti(ByteOrder order, int nx, int ny, int nz, int datatype, int bitpix) {
        header = ByteBuffer.allocate(352).order(order);
        header.putInt(0, 348);
        dims(3, nx, ny, nz, 1);
        header.putShort(70, (short) datatype);
        header.putShort(72, (short) bitpix);
        header.putFloat(76, 1f);
        header.putFloat(80, 1f);
        header.putFloat(84, 1f);
        header.putFloat(88, 1f);
        header.putFloat(108, 352f);
        header.put(344, "n+1\0".getBytes(StandardCharsets.US_ASCII));
    }

    HandMadeNifti dims(int rank, int... sizes) {
        header.putShort(40, (short) rank);
        for (int i = 0; i < 7; i++) {
            header.putShort(42 + 2 * i, (short) (i < sizes.length ? sizes[i] : 1));
        }
        return this;
    }

    HandMadeNifti pixdim(float qfac, float sx, float sy, float sz) {
        header.putFloat(76, qfac);
        header.putFloat(80, sx);
        header.putFloat(84, sy);
        header.putFloat(88, sz);
        return this;
    }

    HandMadeNifti scaling(float slope, float intercept) {
        header.putFloat(112, slope);
        header.putFloat(116, intercept);
        return this;
    }

    HandMadeNifti qform(int code, float b, float c, float d, float ox, float oy, float oz) {
        header.putShort(252, (short) code);
        header.putFloat(256, b);
        header.putFloat(260, c);
        header.putFloat(264, d);
        header.putFloat(268, ox);
        header.putFloat(272, oy);
        header.putFloat(276, oz);
        return this;
    }

    /** Sets sform_code and the three srow rows (4 values each, RAS). */
    HandMadeNifti sform(int code, float... srow) {
        header.putShort(254, (short) code);
        for (int i = 0; i < 12; i++) {
            header.putFloat(280 + 4 * i, srow[i]);
        }
        return this;
    }

    /** Voxel values written in the header's byte order with the given element size. */
    HandMadeNifti data(int bytesPerVoxel, double... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * bytesPerVoxel).order(header.order());
        for (double v : values) {
            switch (bytesPerVoxel) {
                case 1 -> b.put((byte) (long) v);
                case 2 -> b.putShort((short) (long) v);
                case 4 -> {
                    if (header.getShort(70) == 16) {
                        b.putFloat((float) v);
                    } else {
                        b.putInt((int) (long) v);
                    }
                }
                case 8 -> b.putDouble(v);
                default -> throw new IllegalArgumentException();
            }
        }
        data = b.array();
        return this;
    }

    byte[] bytes() {
        byte[] out = new byte[352 + data.length];
        System.arraycopy(header.array(), 0, out, 0, 352);
        System.arraycopy(data, 0, out, 352, data.length);
        return out;
    }

    byte[] gzipped() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bos)) {
            z.write(bytes());
        }
        return bos.toByteArray();
    }
}
