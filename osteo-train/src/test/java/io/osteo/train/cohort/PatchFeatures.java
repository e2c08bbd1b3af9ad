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

    /** Mean HU inside the body mask. */
    static double meanHu(Volume image, LabelMap mask) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < image.geometry().voxelCount(); i++) {
            if (mask.get(i) != 0) {
                sum += image.get(i);
                n++;
            }
        }
        return sum / n;
    }

    /** {SD, skewness, excess kurtosis, z/xy gradient energy ratio, lag-2 autocorrelation in-plane, along z}. */
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
        double sd = Math.sqrt(m2);
        double gz = 0;
        double gxy = 0;
        double cxy = 0;
        double cz = 0;
        int pairs = 0;
        for (int z = 2; z < nz; z++) {
            for (int y = 2; y < ny; y++) {
                for (int x = 2; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    int ix = i - 2;
                    int iy = i - 2 * nx;
                    int iz = i - 2 * nx * ny;
                    if (core[i] && core[ix] && core[iy] && core[iz]) {
                        double v = image.get(i) - mean;
                        double dz = image.get(i) - image.get(i - nx * ny);
                        double dx = image.get(i) - image.get(i - 1);
                        double dy = image.get(i) - image.get(i - nx);
                        gz += dz * dz;
                        gxy += 0.5 * (dx * dx + dy * dy);
                        cxy += 0.5 * v * ((image.get(ix) - mean) + (image.get(iy) - mean));
                        cz += v * (image.get(iz) - mean);
                        pairs++;
                    }
                }
            }
        }
        return new double[] {sd, m3 / (sd * sd * sd), m4 / (m2 * m2) - 3, Math.log(gz / gxy), cxy / pairs / m2,
            cz / pairs / m2};
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
