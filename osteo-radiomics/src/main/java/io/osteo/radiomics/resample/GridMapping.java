package io.osteo.radiomics.resample;

import io.osteo.api.InvalidInputException;
import io.osteo.api.volume.ImageGeometry;

/**
 * The affine map from voxel indices of a target grid to continuous voxel indices of a source grid,
 * through world (LPS, mm) coordinates: {@code src = A * tgt + b}. Works for any direction
 * matrices (oblique, flipped), not only axis-aligned grids. Immutable.
 */
final class GridMapping {
    final double[] a = new double[9];
    final double[] b = new double[3];

    GridMapping(ImageGeometry source, ImageGeometry target) {
        double[] ms = indexToWorldMatrix(source);
        double[] inv = invert(ms, source);
        double[] mt = indexToWorldMatrix(target);
        double[] so = source.origin();
        double[] to = target.origin();
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += inv[3 * r + k] * mt[3 * k + c];
                }
                a[3 * r + c] = s;
            }
            double s = 0;
            for (int k = 0; k < 3; k++) {
                s += inv[3 * r + k] * (to[k] - so[k]);
            }
            b[r] = s;
        }
    }

    /** Continuous source index of world point {@code p}. */
    static double[] worldToIndex(ImageGeometry g, double[] p) {
        double[] inv = invert(indexToWorldMatrix(g), g);
        double[] o = g.origin();
        double[] out = new double[3];
        for (int r = 0; r < 3; r++) {
            out[r] = inv[3 * r] * (p[0] - o[0]) + inv[3 * r + 1] * (p[1] - o[1]) + inv[3 * r + 2] * (p[2] - o[2]);
        }
        return out;
    }

    private static double[] indexToWorldMatrix(ImageGeometry g) {
        double[] d = g.direction();
        double[] m = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                m[3 * r + c] = d[3 * r + c] * g.spacing(c);
            }
        }
        return m;
    }

    private static double[] invert(double[] m, ImageGeometry g) {
        double c00 = m[4] * m[8] - m[5] * m[7];
        double c01 = m[5] * m[6] - m[3] * m[8];
        double c02 = m[3] * m[7] - m[4] * m[6];
        double det = m[0] * c00 + m[1] * c01 + m[2] * c02;
        if (!(Math.abs(det) > 1e-12)) {
            throw new InvalidInputException("image grid " + g + " has a singular direction matrix");
        }
        double[] inv = new double[9];
        inv[0] = c00 / det;
        inv[1] = (m[2] * m[7] - m[1] * m[8]) / det;
        inv[2] = (m[1] * m[5] - m[2] * m[4]) / det;
        inv[3] = c01 / det;
        inv[4] = (m[0] * m[8] - m[2] * m[6]) / det;
        inv[5] = (m[2] * m[3] - m[0] * m[5]) / det;
        inv[6] = c02 / det;
        inv[7] = (m[1] * m[6] - m[0] * m[7]) / det;
        inv[8] = (m[0] * m[4] - m[1] * m[3]) / det;
        return inv;
    }
}
