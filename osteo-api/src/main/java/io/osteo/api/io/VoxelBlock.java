package io.osteo.api.io;

import com.google.common.io.ByteStreams;
import io.osteo.api.InvalidInputException;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * What a reader produces before conversion: the grid (LPS), the raw voxel bytes with their type
 * and byte order, and the intensity scaling. Also holds the bounded reads both readers share, so
 * that no header can make us allocate more than the file really holds.
 */
record VoxelBlock(Path file, ImageGeometry geometry, VoxelType type, ByteOrder order, byte[] data, double slope,
        double intercept) {

    /** Largest voxel block we read into one Java array. */
    static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8L;

    Volume toVolume() {
        float[] voxels = new float[geometry.voxelCount()];
        type.decode(buffer(), voxels, slope, intercept);
        return Volume.wrap(geometry, voxels);
    }

    LabelMap toLabels() {
        int[] labels = new int[geometry.voxelCount()];
        type.decodeLabels(buffer(), labels, slope, intercept, geometry, file);
        return LabelMap.wrap(geometry, labels);
    }

    private ByteBuffer buffer() {
        return ByteBuffer.wrap(data).order(order);
    }

    /**
     * The grid, with invalid values (NaN, zero spacing, absurd sizes, axes that do not span 3D
     * space) reported as a format problem of {@code file} rather than as a bare geometry error.
     */
    static ImageGeometry geometry(Path file, int nx, int ny, int nz, double[] spacing, double[] origin,
            double[] direction) {
        double det = direction[0] * (direction[4] * direction[8] - direction[5] * direction[7])
                - direction[1] * (direction[3] * direction[8] - direction[5] * direction[6])
                + direction[2] * (direction[3] * direction[7] - direction[4] * direction[6]);
        if (!(Math.abs(det) > 1e-6)) {
            throw new VolumeFormatException(file, "the image axes in the header are singular (parallel or zero"
                    + " directions, determinant " + det + ")");
        }
        try {
            return new ImageGeometry(nx, ny, nz, spacing, origin, direction);
        } catch (InvalidInputException e) {
            throw new VolumeFormatException(file, "invalid geometry in header: " + e.getMessage(), e);
        }
    }

    /** Byte count of {@code voxels} voxels of {@code type}, failing when beyond what we can hold. */
    static long dataBytes(Path file, long voxels, VoxelType type) {
        long bytes = voxels * type.bytes();
        if (voxels <= 0 || bytes > MAX_DATA_BYTES) {
            throw new VolumeFormatException(file, "header claims " + voxels + " voxels of " + type.bytes()
                    + " bytes, more than this reader holds in memory (2 GiB of voxel data)");
        }
        return bytes;
    }

    /** Reads exactly {@code n} bytes (a header); fewer means the file is truncated. */
    static byte[] readExactly(InputStream in, int n, Path file, String what) throws IOException {
        byte[] b = new byte[n];
        int got = ByteStreams.read(in, b, 0, n);
        if (got < n) {
            throw new VolumeFormatException(file, "truncated " + what + ": " + got + " of " + n + " bytes present");
        }
        return b;
    }

    /** Skips exactly {@code n} bytes. */
    static void skipExactly(InputStream in, long n, Path file, String what) throws IOException {
        try {
            ByteStreams.skipFully(in, n);
        } catch (EOFException e) {
            throw new VolumeFormatException(file, "truncated before the " + what + " (" + n + " bytes to skip)", e);
        }
    }

    /**
     * Reads the {@code n} bytes of voxel data. When {@code available} is known (an uncompressed
     * file) it is checked before allocating; for a compressed stream (available &lt; 0) the buffer
     * grows with the data actually decompressed, so a lying header cannot force a huge allocation.
     */
    static byte[] readData(InputStream in, long n, long available, Path file) throws IOException {
        if (available >= 0 && available < n) {
            throw new VolumeFormatException(file, "header claims " + n + " bytes of voxel data but the file holds only "
                    + available + " after the header (truncated file or wrong sizes)");
        }
        byte[] data;
        if (available >= 0) {
            data = new byte[(int) n];
            int got = ByteStreams.read(in, data, 0, data.length);
            if (got < n) {
                throw new VolumeFormatException(file, "truncated voxel data: " + got + " of " + n + " bytes present");
            }
        } else {
            data = ByteStreams.toByteArray(ByteStreams.limit(in, n));
            if (data.length < n) {
                throw new VolumeFormatException(file, "truncated voxel data: header claims " + n
                        + " bytes, the compressed stream holds " + data.length);
            }
        }
        return data;
    }
}
