package io.osteo.api.io;

import io.osteo.api.volume.ImageGeometry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.IntToDoubleFunction;
import java.util.zip.GZIPOutputStream;

/**
 * NIfTI-1 single-file writer (little-endian, vox_offset 352, no extensions). The LPS geometry is
 * written as RAS in both the sform (exact affine, code 1) and the qform (quaternion, qfac for
 * left-handed grids, code 1), so NIfTI tools and ITK read the same grid. Writes to a temporary
 * file next to the target and moves it into place, so a failed write leaves no partial file.
 */
final class NiftiWriter {
    private NiftiWriter() {
    }

    static void write(Path file, ImageGeometry g, VoxelType type, IntToDoubleFunction voxel) {
        boolean gzip = switch (VolumeIo.Format.of(file)) {
            case NIFTI -> false;
            case NIFTI_GZ -> true;
            case NRRD, NHDR -> throw new VolumeFormatException(file, "writing NRRD is not supported; use .nii or .nii.gz");
        };
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new VolumeFormatException(file, "cannot write: directory " + dir + " does not exist");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try (OutputStream out = open(tmp, gzip)) {
                out.write(header(g, type));
                writeVoxels(out, g.voxelCount(), type, voxel);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new VolumeFormatException(file, "cannot write: " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original error is the one worth reporting
                }
            }
        }
    }

    private static OutputStream open(Path tmp, boolean gzip) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
        return gzip ? new GZIPOutputStream(out, 1 << 16) : out;
    }

    private static void writeVoxels(OutputStream out, int count, VoxelType type, IntToDoubleFunction voxel)
            throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            if (buf.remaining() < type.bytes()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            double v = voxel.applyAsDouble(i);
            switch (type) {
                case FLOAT32 -> buf.putFloat((float) v);
                case INT16 -> buf.putShort((short) v);
                case INT32 -> buf.putInt((int) v);
                default -> throw new IllegalArgumentException("writer does not produce " + type);
            }
        }
        out.write(buf.array(), 0, buf.position());
    }

    /** The 348-byte header plus the 4-byte empty extension flag. */
    static byte[] header(ImageGeometry g, VoxelType type) {
        ByteBuffer h = ByteBuffer.allocate(352).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0, 348);
        short[] dim = {3, (short) g.nx(), (short) g.ny(), (short) g.nz(), 1, 1, 1, 1};
        for (int d = 0; d < 8; d++) {
            h.putShort(40 + 2 * d, dim[d]);
        }
        h.putShort(70, (short) type.niftiCode());
        h.putShort(72, (short) (8 * type.bytes()));

        // RAS affine: diag(-1, -1, 1) * D * diag(spacing), origin likewise
        double[] d = g.direction();
        double[] s = g.spacing();
        double[] o = g.origin();
        double[] rasDir = new double[9];
        for (int r = 0; r < 3; r++) {
            double sign = r < 2 ? -1 : 1;
            for (int c = 0; c < 3; c++) {
                rasDir[3 * r + c] = sign * d[3 * r + c] + 0.0; // + 0.0: no negative zeros in the header
            }
        }
        double[] rasOrigin = {-o[0] + 0.0, -o[1] + 0.0, o[2]};

        double[] quat = matrixToQuaternion(rasDir);
        h.putFloat(76, (float) quat[3]); // qfac
        for (int a = 0; a < 3; a++) {
            h.putFloat(80 + 4 * a, (float) s[a]);
        }
        for (int a = 3; a < 7; a++) {
            h.putFloat(80 + 4 * a, 1f);
        }
        h.putFloat(108, 352f);
        h.putFloat(112, 1f); // scl_slope
        h.putFloat(116, 0f); // scl_inter
        h.put(123, (byte) 2); // xyzt_units: mm
        byte[] descrip = "OsteoScreen".getBytes(StandardCharsets.US_ASCII);
        h.put(148, descrip);
        h.putShort(252, (short) 1); // qform_code: scanner
        h.putShort(254, (short) 1); // sform_code: scanner
        h.putFloat(256, (float) quat[0]);
        h.putFloat(260, (float) quat[1]);
        h.putFloat(264, (float) quat[2]);
        for (int r = 0; r < 3; r++) {
            h.putFloat(268 + 4 * r, (float) rasOrigin[r]);
            for (int c = 0; c < 3; c++) {
                h.putFloat(280 + 16 * r + 4 * c, (float) (rasDir[3 * r + c] * s[c]));
            }
            h.putFloat(280 + 16 * r + 12, (float) rasOrigin[r]);
        }
        h.put(344, "n+1\0".getBytes(StandardCharsets.US_ASCII));
        return h.array();
    }

    /**
     * Quaternion (b, c, d) and qfac of a row-major direction matrix with unit columns, as NIfTI's
     * qform stores it: a left-handed matrix gets qfac -1 and its third column negated first. The
     * matrix is orthonormalised (Gram-Schmidt) so sheared grids still give a valid rotation; the
     * sform keeps the exact affine.
     */
    static double[] matrixToQuaternion(double[] m) {
        double[] c0 = {m[0], m[3], m[6]};
        double[] c1 = {m[1], m[4], m[7]};
        double[] c2 = {m[2], m[5], m[8]};
        normalise(c0);
        subtractProjection(c1, c0);
        normalise(c1);
        double[] cross = {c0[1] * c1[2] - c0[2] * c1[1], c0[2] * c1[0] - c0[0] * c1[2], c0[0] * c1[1] - c0[1] * c1[0]};
        double qfac = cross[0] * c2[0] + cross[1] * c2[1] + cross[2] * c2[2] < 0 ? -1 : 1;
        double r00 = c0[0], r01 = c1[0], r02 = cross[0];
        double r10 = c0[1], r11 = c1[1], r12 = cross[1];
        double r20 = c0[2], r21 = c1[2], r22 = cross[2];
        double a;
        double b;
        double c;
        double d;
        double trace = r00 + r11 + r22 + 1.0;
        if (trace > 0.5) {
            a = 0.5 * Math.sqrt(trace);
            b = 0.25 * (r21 - r12) / a;
            c = 0.25 * (r02 - r20) / a;
            d = 0.25 * (r10 - r01) / a;
        } else {
            double xd = 1.0 + r00 - (r11 + r22);
            double yd = 1.0 + r11 - (r00 + r22);
            double zd = 1.0 + r22 - (r00 + r11);
            if (xd > 1.0) {
                b = 0.5 * Math.sqrt(xd);
                c = 0.25 * (r01 + r10) / b;
                d = 0.25 * (r02 + r20) / b;
                a = 0.25 * (r21 - r12) / b;
            } else if (yd > 1.0) {
                c = 0.5 * Math.sqrt(yd);
                b = 0.25 * (r01 + r10) / c;
                d = 0.25 * (r12 + r21) / c;
                a = 0.25 * (r02 - r20) / c;
            } else {
                d = 0.5 * Math.sqrt(zd);
                b = 0.25 * (r02 + r20) / d;
                c = 0.25 * (r12 + r21) / d;
                a = 0.25 * (r10 - r01) / d;
            }
            if (a < 0) {
                b = -b;
                c = -c;
                d = -d;
            }
        }
        return new double[] {b, c, d, qfac};
    }

    private static void normalise(double[] v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        for (int i = 0; i < 3; i++) {
            v[i] /= n;
        }
    }

    private static void subtractProjection(double[] v, double[] unit) {
        double p = v[0] * unit[0] + v[1] * unit[1] + v[2] * unit[2];
        for (int i = 0; i < 3; i++) {
            v[i] -= p * unit[i];
        }
    }
}
