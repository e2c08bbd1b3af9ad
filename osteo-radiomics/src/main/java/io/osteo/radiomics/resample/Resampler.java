package io.osteo.radiomics.resample;

import io.osteo.api.InvalidInputException;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;

/**
 * Resamples images onto another grid in world (LPS, mm) space: trilinear for intensities (CT in
 * HU), nearest neighbour for labels. A target voxel whose centre falls within half a voxel of the
 * source's outermost voxel centres takes the edge value; further out it takes the given outside
 * value (for CT typically -1024 HU, air). Stateless and thread-safe.
 */
public final class Resampler {

    private Resampler() {}

    /**
     * A grid of {@code size} voxels with {@code spacingMm}, axes along the LPS world axes (identity
     * direction), centred on {@code centreWorld} (mm). The canonical grid of vertebra patches: the
     * same anatomy always lands on the same axes whatever the scan's stored orientation.
     */
    public static ImageGeometry centredGrid(double[] centreWorld, int[] size, double[] spacingMm) {
        if (centreWorld == null || centreWorld.length != 3 || size == null || size.length != 3
                || spacingMm == null || spacingMm.length != 3) {
            throw new InvalidInputException("a centred grid needs a 3D centre, size and spacing");
        }
        double[] origin = new double[3];
        for (int a = 0; a < 3; a++) {
            origin[a] = centreWorld[a] - (size[a] - 1) / 2.0 * spacingMm[a];
        }
        return new ImageGeometry(size[0], size[1], size[2], spacingMm, origin, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
    }

    /** Continuous voxel index of a world point (mm, LPS) on grid {@code g}. */
    public static double[] worldToIndex(ImageGeometry g, double[] world) {
        return GridMapping.worldToIndex(g, world);
    }

    /** Trilinear resampling of {@code source} onto {@code target}; {@code outside} beyond the source. */
    public static Volume linear(Volume source, ImageGeometry target, float outside) {
        ImageGeometry sg = source.geometry();
        GridMapping map = new GridMapping(sg, target);
        int nx = sg.nx();
        int ny = sg.ny();
        int nz = sg.nz();
        float[] out = new float[target.voxelCount()];
        double[] a = map.a;
        int i = 0;
        for (int z = 0; z < target.nz(); z++) {
            for (int y = 0; y < target.ny(); y++) {
                for (int x = 0; x < target.nx(); x++, i++) {
                    double sx = a[0] * x + a[1] * y + a[2] * z + map.b[0];
                    double sy = a[3] * x + a[4] * y + a[5] * z + map.b[1];
                    double sz = a[6] * x + a[7] * y + a[8] * z + map.b[2];
                    if (!inside(sx, nx) || !inside(sy, ny) || !inside(sz, nz)) {
                        out[i] = outside;
                        continue;
                    }
                    sx = clamp(sx, nx);
                    sy = clamp(sy, ny);
                    sz = clamp(sz, nz);
                    int x0 = Math.min((int) Math.floor(sx), nx - 1);
                    int y0 = Math.min((int) Math.floor(sy), ny - 1);
                    int z0 = Math.min((int) Math.floor(sz), nz - 1);
                    int x1 = Math.min(x0 + 1, nx - 1);
                    int y1 = Math.min(y0 + 1, ny - 1);
                    int z1 = Math.min(z0 + 1, nz - 1);
                    double fx = sx - x0;
                    double fy = sy - y0;
                    double fz = sz - z0;
                    double c00 = lerp(source.get(x0 + nx * (y0 + ny * z0)), source.get(x1 + nx * (y0 + ny * z0)), fx);
                    double c10 = lerp(source.get(x0 + nx * (y1 + ny * z0)), source.get(x1 + nx * (y1 + ny * z0)), fx);
                    double c01 = lerp(source.get(x0 + nx * (y0 + ny * z1)), source.get(x1 + nx * (y0 + ny * z1)), fx);
                    double c11 = lerp(source.get(x0 + nx * (y1 + ny * z1)), source.get(x1 + nx * (y1 + ny * z1)), fx);
                    out[i] = (float) lerp(lerp(c00, c10, fy), lerp(c01, c11, fy), fz);
                }
            }
        }
        return Volume.wrap(target, out);
    }

    /** Nearest-neighbour resampling of labels onto {@code target}; {@code outside} beyond the source. */
    public static LabelMap nearest(LabelMap source, ImageGeometry target, int outside) {
        ImageGeometry sg = source.geometry();
        GridMapping map = new GridMapping(sg, target);
        int nx = sg.nx();
        int ny = sg.ny();
        int nz = sg.nz();
        int[] out = new int[target.voxelCount()];
        double[] a = map.a;
        int i = 0;
        for (int z = 0; z < target.nz(); z++) {
            for (int y = 0; y < target.ny(); y++) {
                for (int x = 0; x < target.nx(); x++, i++) {
                    double sx = a[0] * x + a[1] * y + a[2] * z + map.b[0];
                    double sy = a[3] * x + a[4] * y + a[5] * z + map.b[1];
                    double sz = a[6] * x + a[7] * y + a[8] * z + map.b[2];
                    if (!inside(sx, nx) || !inside(sy, ny) || !inside(sz, nz)) {
                        out[i] = outside;
                        continue;
                    }
                    int ix = nearestIndex(sx, nx);
                    int iy = nearestIndex(sy, ny);
                    int iz = nearestIndex(sz, nz);
                    out[i] = source.get(ix + nx * (iy + ny * iz));
                }
            }
        }
        return LabelMap.wrap(target, out);
    }

    private static boolean inside(double s, int n) {
        return s >= -0.5 && s <= n - 0.5;
    }

    private static double clamp(double s, int n) {
        return Math.max(0, Math.min(n - 1, s));
    }

    private static int nearestIndex(double s, int n) {
        // round half up, then clamp into the grid
        return (int) Math.max(0, Math.min(n - 1, Math.floor(s + 0.5)));
    }

    private static double lerp(double v0, double v1, double f) {
        return v0 + (v1 - v0) * f;
    }
}
