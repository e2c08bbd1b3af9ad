package io.osteo.radiomics.voxel;

import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.glcm.GlcmFeatureCalculator;
import java.util.Arrays;
import java.util.List;

/**
 * General path: builds the GLCM of every kernel directly (the textbook method, O((2R+1)^3 x
 * directions) per voxel) and computes any feature with {@link GlcmFeatureCalculator}. Each kernel
 * matrix is compacted to the gray levels present in its kernel (exact: empty rows and columns do
 * not change any feature, and MCC accounts for the ROI's levels). One instance per worker thread;
 * not thread-safe.
 */
final class DirectKernelGlcm {

    private final KernelProblem pb;
    private final GlcmFeature[] features;
    private final GlcmFeatureCalculator calc;
    private final int[] local; // ROI level index -> kernel level index, -1 if absent
    private final int[] kernelLevels;
    private final double[] g;
    private double[] counts;
    private double[] weighted;
    private final double[] out = new double[GlcmFeature.values().length];

    DirectKernelGlcm(KernelProblem problem, List<GlcmFeature> features) {
        this.pb = problem;
        this.features = features.toArray(new GlcmFeature[0]);
        this.calc = new GlcmFeatureCalculator(features, pb.maxLevel, pb.levels.length);
        this.local = new int[pb.levels.length];
        Arrays.fill(local, -1);
        int maxKernel = (2 * pb.radius[0] + 1) * (2 * pb.radius[1] + 1) * (2 * pb.radius[2] + 1);
        int m = Math.min(maxKernel, pb.levels.length);
        this.kernelLevels = new int[m];
        this.g = new double[m];
        this.counts = new double[m * m];
        this.weighted = new double[m * m];
    }

    /** Computes the features of every ROI voxel with z in [z0, z1) into {@code maps[f]}. */
    void run(int z0, int z1, double[][] maps) {
        int nx = pb.nx;
        int ny = pb.ny;
        int nf = features.length;
        double[] sum = new double[nf];
        int[] n = new int[nf];
        for (int z = z0; z < z1; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int v = x + nx * (y + ny * z);
                    if (!pb.wanted(v)) {
                        continue;
                    }
                    kernel(x, y, z, sum, n);
                    for (int f = 0; f < nf; f++) {
                        maps[f][v] = n[f] == 0 ? Double.NaN : sum[f] / n[f];
                    }
                }
            }
        }
    }

    private void kernel(int vx, int vy, int vz, double[] sum, int[] n) {
        int nx = pb.nx;
        int ny = pb.ny;
        int x0 = Math.max(0, vx - pb.radius[0]);
        int x1 = Math.min(pb.nx - 1, vx + pb.radius[0]);
        int y0 = Math.max(0, vy - pb.radius[1]);
        int y1 = Math.min(pb.ny - 1, vy + pb.radius[1]);
        int z0 = Math.max(0, vz - pb.radius[2]);
        int z1 = Math.min(pb.nz - 1, vz + pb.radius[2]);
        // gray levels present in the masked kernel, ascending
        int m = 0;
        for (int z = z0; z <= z1; z++) {
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    int u = x + nx * (y + ny * z);
                    if (pb.mask[u]) {
                        int li = pb.levelIndex[pb.bins[u]];
                        if (local[li] < 0) {
                            local[li] = 0;
                            kernelLevels[m++] = li;
                        }
                    }
                }
            }
        }
        Arrays.sort(kernelLevels, 0, m);
        for (int k = 0; k < m; k++) {
            local[kernelLevels[k]] = k;
            g[k] = pb.levels[kernelLevels[k]];
        }
        Arrays.fill(sum, 0.0);
        Arrays.fill(n, 0);
        boolean weightedMode = pb.weights != null;
        if (weightedMode) {
            Arrays.fill(weighted, 0, m * m, 0.0);
        }
        double weightedTotal = 0;
        for (int a = 0; a < pb.offsets.size(); a++) {
            int[] o = pb.offsets.get(a);
            int ux0 = Math.max(x0, x0 - o[0]);
            int ux1 = Math.min(x1, x1 - o[0]);
            int uy0 = Math.max(y0, y0 - o[1]);
            int uy1 = Math.min(y1, y1 - o[1]);
            int uz0 = Math.max(z0, z0 - o[2]);
            int uz1 = Math.min(z1, z1 - o[2]);
            if (ux0 > ux1 || uy0 > uy1 || uz0 > uz1) {
                continue;
            }
            Arrays.fill(counts, 0, m * m, 0.0);
            int shift = o[0] + nx * (o[1] + ny * o[2]);
            long pairs = 0;
            for (int z = uz0; z <= uz1; z++) {
                for (int y = uy0; y <= uy1; y++) {
                    int row = nx * (y + ny * z);
                    for (int x = ux0; x <= ux1; x++) {
                        int u = row + x;
                        if (pb.mask[u] && pb.mask[u + shift]) {
                            int i = local[pb.levelIndex[pb.bins[u]]];
                            int j = local[pb.levelIndex[pb.bins[u + shift]]];
                            counts[i * m + j]++;
                            pairs++;
                        }
                    }
                }
            }
            if (pairs == 0) {
                continue; // empty direction: skipped for every feature
            }
            double total = pairs;
            if (pb.settings.symmetricalGLCM()) {
                for (int i = 0; i < m; i++) {
                    for (int j = i; j < m; j++) {
                        double s = counts[i * m + j] + counts[j * m + i];
                        counts[i * m + j] = s;
                        counts[j * m + i] = s;
                    }
                }
                total *= 2;
            }
            if (weightedMode) {
                double w = pb.weights[a];
                for (int k = 0; k < m * m; k++) {
                    weighted[k] += w * counts[k];
                }
                weightedTotal += w * total;
                continue;
            }
            for (int k = 0; k < m * m; k++) {
                counts[k] /= total;
            }
            accumulate(m, counts, sum, n);
        }
        if (weightedMode && weightedTotal > 0) {
            for (int k = 0; k < m * m; k++) {
                weighted[k] /= weightedTotal;
            }
            accumulate(m, weighted, sum, n);
        }
        for (int k = 0; k < m; k++) {
            local[kernelLevels[k]] = -1;
        }
    }

    private void accumulate(int m, double[] p, double[] sum, int[] n) {
        Arrays.fill(out, Double.NaN);
        calc.compute(p, g, m, out);
        for (int f = 0; f < features.length; f++) {
            double v = out[features[f].ordinal()];
            if (!Double.isNaN(v)) { // numpy.nanmean over directions
                sum[f] += v;
                n[f]++;
            }
        }
    }
}
