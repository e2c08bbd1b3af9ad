package io.osteo.api.io;

import io.osteo.api.volume.ImageGeometry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NIfTI-1 single-file reader ({@code n+1}). Byte order is detected from {@code sizeof_hdr};
 * geometry comes from the sform when {@code sform_code > 0}, else from the qform quaternion when
 * {@code qform_code > 0}, else from pixdim alone, and is converted from NIfTI's RAS world to LPS
 * (x and y negated), as ITK does. Spatial units metre and micron are converted to mm.
 */
final class NiftiReader {
    private static final Logger LOG = LoggerFactory.getLogger(NiftiReader.class);
    static final int HEADER_SIZE = 348;

    private NiftiReader() {
    }

    /**
     * Reads the image from {@code in}, positioned at the start of the (decompressed) file;
     * {@code fileLength} is the number of bytes the stream holds, or -1 when unknown (gzip).
     */
    static VoxelBlock read(Path file, InputStream in, long fileLength) throws IOException {
        byte[] raw = VoxelBlock.readExactly(in, HEADER_SIZE, file, "NIfTI header");
        ByteBuffer h = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        if (h.getInt(0) != HEADER_SIZE) {
            h.order(ByteOrder.BIG_ENDIAN);
            if (h.getInt(0) != HEADER_SIZE) {
                int le = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
                if (le == 540 || h.getInt(0) == 540) {
                    throw new VolumeFormatException(file, "NIfTI-2 files are not supported (sizeof_hdr = 540); save as NIfTI-1");
                }
                throw new VolumeFormatException(file, "not a NIfTI-1 file: sizeof_hdr is " + le + ", expected 348");
            }
        }
        String magic = new String(raw, 344, 4, StandardCharsets.ISO_8859_1);
        if (magic.equals("ni1\0")) {
            throw new VolumeFormatException(file, "NIfTI-1 header/image pairs (.hdr/.img) are not supported; use a single .nii file");
        }
        if (!magic.equals("n+1\0")) {
            throw new VolumeFormatException(file, "not a NIfTI-1 file: magic is not \"n+1\" (Analyze 7.5 is not supported)");
        }

        int[] dims = dims(h, file);
        int nx = dims[0];
        int ny = dims[1];
        int nz = dims[2];

        int code = h.getShort(70);
        VoxelType type = VoxelType.fromNiftiCode(code);
        if (type == null) {
            throw new VolumeFormatException(file, "unsupported NIfTI datatype " + code
                    + " (supported: uint8, int8, int16, uint16, int32, uint32, float32, float64)");
        }

        float voxOffsetF = h.getFloat(108);
        if (!(voxOffsetF >= HEADER_SIZE) || voxOffsetF > VoxelBlock.MAX_DATA_BYTES) {
            throw new VolumeFormatException(file, "invalid vox_offset " + voxOffsetF + " (must be at least 348)");
        }
        long voxOffset = (long) voxOffsetF;

        double slope = h.getFloat(112);
        double intercept = h.getFloat(116);
        if (slope == 0.0 || !Double.isFinite(slope) || !Double.isFinite(intercept)) {
            slope = 1.0;
            intercept = 0.0;
        }

        ImageGeometry geometry = geometry(h, file, nx, ny, nz);

        long voxels = (long) nx * ny * nz;
        long bytes = VoxelBlock.dataBytes(file, voxels, type);
        if (fileLength >= 0 && voxOffset > fileLength) {
            throw new VolumeFormatException(file, "vox_offset " + voxOffset + " lies beyond the end of the file ("
                    + fileLength + " bytes)");
        }
        VoxelBlock.skipExactly(in, voxOffset - HEADER_SIZE, file, "voxel data (vox_offset " + voxOffset + ")");
        byte[] data = VoxelBlock.readData(in, bytes, fileLength < 0 ? -1 : fileLength - voxOffset, file);
        return new VoxelBlock(file, geometry, type, h.order(), data, slope, intercept);
    }

    /** nx, ny, nz from dim[]; 1D/2D images get size 1 in the missing axes, 4D+ needs dim[4..] = 1. */
    private static int[] dims(ByteBuffer h, Path file) {
        int rank = h.getShort(40);
        if (rank < 1 || rank > 7) {
            throw new VolumeFormatException(file, "invalid dim[0] = " + rank + " (must be 1..7)");
        }
        int[] size = {1, 1, 1};
        for (int d = 1; d <= rank; d++) {
            int n = h.getShort(40 + 2 * d);
            if (n < 1) {
                throw new VolumeFormatException(file, "dim[" + d + "] = " + n + ": every image dimension must be at least 1");
            }
            if (d <= 3) {
                size[d - 1] = n;
            } else if (n != 1) {
                throw new VolumeFormatException(file, rank + "D image (dim[" + d + "] = " + n
                        + ") is not supported: a volume must be 3D (or 2D)");
            }
        }
        return size;
    }

    private static ImageGeometry geometry(ByteBuffer h, Path file, int nx, int ny, int nz) {
        double unit = switch (h.get(123) & 0x07) {
            case 1 -> 1000.0; // metre
            case 3 -> 0.001; // micron
            default -> 1.0; // mm or unknown
        };
        int[] size = {nx, ny, nz};
        double[] m = new double[9]; // RAS affine 3x3, row-major
        double[] t = new double[3];
        int sformCode = h.getShort(254);
        int qformCode = h.getShort(252);
        if (sformCode > 0) {
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    m[3 * r + c] = h.getFloat(280 + 16 * r + 4 * c);
                }
                t[r] = h.getFloat(280 + 16 * r + 12);
            }
        } else {
            double[] spacing = new double[3];
            for (int a = 0; a < 3; a++) {
                double p = Math.abs(h.getFloat(80 + 4 * a));
                if (!(p > 0) || !Double.isFinite(p)) {
                    if (size[a] > 1) {
                        throw new VolumeFormatException(file, "invalid pixdim[" + (a + 1) + "] = " + h.getFloat(80 + 4 * a)
                                + " (voxel size must be positive)");
                    }
                    p = 1.0;
                }
                spacing[a] = p;
            }
            double[] rot = {1, 0, 0, 0, 1, 0, 0, 0, 1};
            if (qformCode > 0) {
                rot = quaternionToMatrix(h.getFloat(256), h.getFloat(260), h.getFloat(264), file);
                if (h.getFloat(76) < 0) { // qfac: left-handed, k axis flipped
                    rot[2] = -rot[2];
                    rot[5] = -rot[5];
                    rot[8] = -rot[8];
                }
                t[0] = h.getFloat(268);
                t[1] = h.getFloat(272);
                t[2] = h.getFloat(276);
            }
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    m[3 * r + c] = rot[3 * r + c] * spacing[c];
                }
            }
        }
        double[] spacing = new double[3];
        double[] direction = new double[9];
        for (int c = 0; c < 3; c++) {
            double norm = Math.sqrt(m[c] * m[c] + m[3 + c] * m[3 + c] + m[6 + c] * m[6 + c]);
            if (!(norm > 0) || !Double.isFinite(norm)) {
                throw new VolumeFormatException(file, (sformCode > 0 ? "sform" : "qform") + " axis " + c
                        + " has length " + norm + " (must be positive and finite)");
            }
            spacing[c] = norm * unit;
            for (int r = 0; r < 3; r++) {
                // RAS -> LPS: negate the x and y rows
                double sign = r < 2 ? -1.0 : 1.0;
                direction[3 * r + c] = sign * m[3 * r + c] / norm + 0.0; // + 0.0: no negative zeros
            }
        }
        double[] origin = {-t[0] * unit + 0.0, -t[1] * unit + 0.0, t[2] * unit};
        ImageGeometry geometry = VoxelBlock.geometry(file, nx, ny, nz, spacing, origin, direction);
        double shear = Math.max(Math.abs(dot(direction, 0, 1)), Math.max(Math.abs(dot(direction, 0, 2)), Math.abs(dot(direction, 1, 2))));
        if (shear > 1e-4) {
            LOG.warn("{}: sform axes are not orthogonal (largest cosine {}); the grid is sheared", file, shear);
        }
        return geometry;
    }

    private static double dot(double[] m, int c1, int c2) {
        return m[c1] * m[c2] + m[3 + c1] * m[3 + c2] + m[6 + c1] * m[6 + c2];
    }

    /** NIfTI quaternion (b, c, d; a implied) to a row-major rotation matrix. */
    static double[] quaternionToMatrix(double b, double c, double d, Path file) {
        if (!Double.isFinite(b) || !Double.isFinite(c) || !Double.isFinite(d)) {
            throw new VolumeFormatException(file, "qform quaternion (" + b + ", " + c + ", " + d + ") is not finite");
        }
        double a = 1.0 - (b * b + c * c + d * d);
        if (a < 1e-7) { // 180 degree rotation: a = 0, renormalise (b, c, d) as nifti1_io does
            double s = Math.sqrt(b * b + c * c + d * d);
            if (!(s > 0)) {
                throw new VolumeFormatException(file, "qform quaternion is degenerate");
            }
            b /= s;
            c /= s;
            d /= s;
            a = 0.0;
        } else {
            a = Math.sqrt(a);
        }
        return new double[] {
            a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
            2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
            2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b
        };
    }
}
