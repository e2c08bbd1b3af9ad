package io.osteo.api.io;

import io.osteo.api.volume.ImageGeometry;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The on-disk scalar types both readers understand, with the one shared decoder from bytes to
 * float intensities or integer labels. NIfTI datatype codes and NRRD type names map onto it.
 */
enum VoxelType {
    UINT8(1, 2),
    INT8(1, 256),
    INT16(2, 4),
    UINT16(2, 512),
    INT32(4, 8),
    UINT32(4, 768),
    FLOAT32(4, 16),
    FLOAT64(8, 64);

    private final int bytes;
    private final int niftiCode;

    VoxelType(int bytes, int niftiCode) {
        this.bytes = bytes;
        this.niftiCode = niftiCode;
    }

    int bytes() {
        return bytes;
    }

    int niftiCode() {
        return niftiCode;
    }

    /** The type of a NIfTI-1 datatype code, or null when the code is not one we read. */
    static VoxelType fromNiftiCode(int code) {
        for (VoxelType t : values()) {
            if (t.niftiCode == code) {
                return t;
            }
        }
        return null;
    }

    /** The type of a NRRD {@code type:} value (all synonyms of the NRRD spec), or null. */
    static VoxelType fromNrrdName(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ")) {
            case "uchar", "unsigned char", "uint8", "uint8_t" -> UINT8;
            case "signed char", "int8", "int8_t" -> INT8;
            case "short", "short int", "signed short", "signed short int", "int16", "int16_t" -> INT16;
            case "ushort", "unsigned short", "unsigned short int", "uint16", "uint16_t" -> UINT16;
            case "int", "signed int", "int32", "int32_t" -> INT32;
            case "uint", "unsigned int", "uint32", "uint32_t" -> UINT32;
            case "float" -> FLOAT32;
            case "double" -> FLOAT64;
            default -> null;
        };
    }

    /** Value of voxel {@code i} of {@code data} (absolute byte index i * bytes). */
    double get(ByteBuffer data, int i) {
        int at = i * bytes;
        return switch (this) {
            case UINT8 -> data.get(at) & 0xFF;
            case INT8 -> data.get(at);
            case INT16 -> data.getShort(at);
            case UINT16 -> data.getShort(at) & 0xFFFF;
            case INT32 -> data.getInt(at);
            case UINT32 -> data.getInt(at) & 0xFFFFFFFFL;
            case FLOAT32 -> data.getFloat(at);
            case FLOAT64 -> data.getDouble(at);
        };
    }

    boolean isInteger() {
        return this != FLOAT32 && this != FLOAT64;
    }

    /**
     * Decodes {@code dst.length} voxels into intensities {@code value * slope + intercept}; an
     * identity scaling (1, 0) skips the arithmetic.
     */
    void decode(ByteBuffer data, float[] dst, double slope, double intercept) {
        boolean identity = slope == 1.0 && intercept == 0.0;
        if (identity && this == INT16) {
            for (int i = 0; i < dst.length; i++) {
                dst[i] = data.getShort(2 * i);
            }
        } else if (identity && this == FLOAT32) {
            for (int i = 0; i < dst.length; i++) {
                dst[i] = data.getFloat(4 * i);
            }
        } else if (identity) {
            for (int i = 0; i < dst.length; i++) {
                dst[i] = (float) get(data, i);
            }
        } else {
            for (int i = 0; i < dst.length; i++) {
                dst[i] = (float) (get(data, i) * slope + intercept);
            }
        }
    }

    /**
     * Decodes {@code dst.length} voxels into integer labels (after scaling). Floating-point data
     * is accepted when every value is integral and fits an int; otherwise the first offending
     * voxel is reported.
     */
    void decodeLabels(ByteBuffer data, int[] dst, double slope, double intercept, ImageGeometry grid, Path file) {
        boolean identity = slope == 1.0 && intercept == 0.0;
        if (identity && isInteger() && this != UINT32) {
            for (int i = 0; i < dst.length; i++) {
                dst[i] = (int) get(data, i);
            }
            return;
        }
        for (int i = 0; i < dst.length; i++) {
            double v = get(data, i) * slope + intercept;
            if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                int x = i % grid.nx();
                int y = (i / grid.nx()) % grid.ny();
                int z = i / (grid.nx() * grid.ny());
                throw new VolumeFormatException(file, "label value " + v + " at voxel (" + x + ", " + y + ", " + z
                        + ") is not an integer label (" + name().toLowerCase(java.util.Locale.ROOT) + " data)");
            }
            dst[i] = (int) v;
        }
    }
}
