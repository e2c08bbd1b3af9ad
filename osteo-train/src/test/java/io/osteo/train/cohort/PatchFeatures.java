package io.osteo.train.cohort;

import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;

/**
 * Test-side image features of a rendered patch, computed independently of the generator: the mean
 * HU of the vertebral body, and simple texture statistics of its trabecular core (voxels at least
 * two voxels inside the body mask) that do not depend on an affine HU calibration error (except
 * the SD, which scales with the slope).
 */
final class PatchFeatures {
    private PatchFeatures() {}

    /** Mean HU inside the body mask, or of the whole patch when {@code mask} is null. */
    static double meanHu(Volume image, LabelMap mask) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < image.geometry().voxelCount(); i++) {
            if (mask == null || mask.get(i) != 0) {
                sum += image.get(i);
                n++;
            }
        }
        return sum / n;
    }

    /**
     * Texture statistics of the trabecular core that neither an affine HU calibration error nor
     * additive white scanner noise can shift (noise adds to the variance only, not to
     * autocovariances at lag >= 1 nor to third and fourth cumulants): {log structural SD
     * (sqrt of the lag-1 autocovariance), third cumulant / C1^1.5, fourth cumulant / C1^2,
     * log(C_z(2) / C_xy(2)) (anisotropy: vertical vs horizontal correlation), C(2) / C(1)
     * (correlation length, grows with trabecular spacing)}.
     */
    static double[] texture(Volume image, LabelMap mask) {
        int nx = image.geometry().nx();
        int ny = image.geometry().ny();
        int nz = image.geometry().nz();
        boolean[] core = erode(erode(mask.mask(1), nx, ny, nz), nx, ny, nz);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < core.length; i++) {
            if (core[i]) {
                sum += image.get(i);
                n++;
            }
        }
        double mean = sum / n;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        for (int i = 0; i < core.length; i++) {
            if (core[i]) {
                double d = image.get(i) - mean;
                m2 += d * d;
                m3 += d * d * d;
                m4 += d * d * d * d;
            }
        }
        m2 /= n;
        m3 /= n;
        m4 /= n;
        double[] cov = new double[6]; // lag 1 and 2 along x, y, z
        int[] pairs = new int[6];
        int[] step = {1, nx, nx * ny};
        for (int i = 0; i < core.length; i++) {
            if (!core[i]) {
                continue;
            }
            double v = image.get(i) - mean;
            for (int axis = 0; axis < 3; axis++) {
                for (int lag = 1; lag <= 2; lag++) {
                    int k = i + lag * step[axis];
                    if (k < core.length && core[k]) {
                        cov[axis * 2 + lag - 1] += v * (image.get(k) - mean);
                        pairs[axis * 2 + lag - 1]++;
                    }
                }
            }
        }
        for (int c = 0; c < 6; c++) {
            cov[c] /= Math.max(1, pairs[c]);
        }
        double c1 = Math.max(1e-6, (cov[0] + cov[2] + cov[4]) / 3);
        double c2 = (cov[1] + cov[3] + cov[5]) / 3;
        double cxy2 = Math.max(1e-6, 0.5 * (cov[1] + cov[3]));
        double cz2 = Math.max(1e-6, cov[5]);
        return new double[] {0.5 * Math.log(c1), m3 / Math.pow(c1, 1.5), (m4 - 3 * m2 * m2) / (c1 * c1),
            Math.log(cz2 / cxy2), c2 / c1};
    }

    private static boolean[] erode(boolean[] m, int nx, int ny, int nz) {
        boolean[] out = new boolean[m.length];
        for (int z = 1; z < nz - 1; z++) {
            for (int y = 1; y < ny - 1; y++) {
                for (int x = 1; x < nx - 1; x++) {
                    int i = x + nx * (y + ny * z);
                    out[i] = m[i] && m[i - 1] && m[i + 1] && m[i - nx] && m[i + nx] && m[i - nx * ny] && m[i + nx * ny];
                }
            }
        }
        return out;
    }
}
