package io.osteo.api.volume;

import io.osteo.api.InvalidInputException;
import java.util.Arrays;

/**
 * The voxel grid of a 3D image in patient space (LPS, millimetres, as DICOM and ITK use it).
 *
 * <p>Voxels are stored x-fastest: index = x + nx * (y + ny * z). The world position of voxel
 * (i, j, k) is {@code origin + D * diag(spacing) * (i, j, k)}, where the direction matrix D is
 * row-major and its columns are the unit directions of the i, j and k axes. A 2D image has nz = 1.
 *
 * @param nx voxels along i (fastest)
 * @param ny voxels along j
 * @param nz voxels along k (slowest)
 * @param spacing voxel size along i, j, k in mm (positive, finite)
 * @param origin world position of voxel (0, 0, 0) in mm (LPS)
 * @param direction 3x3 direction cosines, row-major, columns are the axis directions
 */
public record ImageGeometry(int nx, int ny, int nz, double[] spacing, double[] origin, double[] direction) {

    private static final double[] IDENTITY = {1, 0, 0, 0, 1, 0, 0, 0, 1};

    public ImageGeometry {
        if (nx < 1 || ny < 1 || nz < 1) {
            throw new InvalidInputException("image size " + nx + "x" + ny + "x" + nz + " must be at least 1 in every axis");
        }
        if ((long) nx * ny * nz > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException("image size " + nx + "x" + ny + "x" + nz + " exceeds 2^31 voxels");
        }
        spacing = check(spacing, 3, "spacing");
        origin = check(origin, 3, "origin");
        direction = check(direction, 9, "direction");
        for (int a = 0; a < 3; a++) {
            if (!(spacing[a] > 0)) {
                throw new InvalidInputException("voxel spacing " + Arrays.toString(spacing) + " must be positive in every axis");
            }
        }
    }

    /** A grid at the origin with identity directions. */
    public static ImageGeometry of(int nx, int ny, int nz, double sx, double sy, double sz) {
        return new ImageGeometry(nx, ny, nz, new double[] {sx, sy, sz}, new double[3], IDENTITY);
    }

    private static double[] check(double[] values, int length, String name) {
        if (values == null || values.length != length) {
            throw new InvalidInputException("image " + name + " needs " + length + " values, got "
                    + (values == null ? "none" : String.valueOf(values.length)));
        }
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new InvalidInputException("image " + name + " " + Arrays.toString(values) + " is not finite");
            }
        }
        return values.clone();
    }

    @Override
    public double[] spacing() {
        return spacing.clone();
    }

    @Override
    public double[] origin() {
        return origin.clone();
    }

    @Override
    public double[] direction() {
        return direction.clone();
    }

    /** Spacing along axis 0 (i), 1 (j) or 2 (k), mm. */
    public double spacing(int axis) {
        return spacing[axis];
    }

    /** Number of voxels along axis 0, 1 or 2. */
    public int size(int axis) {
        return switch (axis) {
            case 0 -> nx;
            case 1 -> ny;
            case 2 -> nz;
            default -> throw new IllegalArgumentException("axis " + axis);
        };
    }

    public int voxelCount() {
        return nx * ny * nz;
    }

    /** Linear index of voxel (x, y, z), x fastest. */
    public int index(int x, int y, int z) {
        return x + nx * (y + ny * z);
    }

    public boolean contains(int x, int y, int z) {
        return x >= 0 && y >= 0 && z >= 0 && x < nx && y < ny && z < nz;
    }

    /** World (LPS, mm) position of a continuous voxel index. */
    public double[] indexToWorld(double i, double j, double k) {
        double a = i * spacing[0];
        double b = j * spacing[1];
        double c = k * spacing[2];
        return new double[] {
            origin[0] + direction[0] * a + direction[1] * b + direction[2] * c,
            origin[1] + direction[3] * a + direction[4] * b + direction[5] * c,
            origin[2] + direction[6] * a + direction[7] * b + direction[8] * c
        };
    }

    /** Same grid with another size, spacing and origin but the same directions. */
    public ImageGeometry withGrid(int nx, int ny, int nz, double[] spacing, double[] origin) {
        return new ImageGeometry(nx, ny, nz, spacing, origin, direction);
    }

    /**
     * True when both grids have the same size and, within {@code tolerance} (mm for spacing and
     * origin, unitless for directions), the same spacing, origin and directions.
     */
    public boolean sameGrid(ImageGeometry other, double tolerance) {
        return nx == other.nx && ny == other.ny && nz == other.nz
                && close(spacing, other.spacing, tolerance)
                && close(origin, other.origin, tolerance)
                && close(direction, other.direction, tolerance);
    }

    private static boolean close(double[] a, double[] b, double tolerance) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > tolerance) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageGeometry g && sameGrid(g, 0.0);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * nx + ny) + nz) + Arrays.hashCode(spacing);
    }

    @Override
    public String toString() {
        return nx + "x" + ny + "x" + nz + " @ " + Arrays.toString(spacing) + " mm, origin " + Arrays.toString(origin);
    }
}
