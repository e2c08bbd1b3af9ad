package io.osteo.radiomics.voxel;

import io.osteo.api.volume.ImageGeometry;
import io.osteo.radiomics.discretization.DiscretizedImage;
import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.glcm.GlcmFeatureCalculator;
import io.osteo.radiomics.glcm.GlcmSettings;
import io.osteo.radiomics.glcm.WeightingNorm;
import java.util.Arrays;
import java.util.List;

/**
 * Deliberately simple reference for voxel maps: for every ROI voxel, for every direction, loop
 * over the voxels of the kernel box, test "both voxels of the pair in the box and in the ROI", fill a dense matrix over
 * all ROI gray levels, and compute features. The four paper features also have their own
 * textbook formulas here, independent of {@link GlcmFeatureCalculator}.
 */
final class BruteForceVoxelGlcm {

    private BruteForceVoxelGlcm() {}

    static double[][] compute(ImageGeometry geo, float[] image, boolean[] mask, GlcmSettings s, int r,
            List<GlcmFeature> features, boolean ownFormulas) {
        int nx = geo.nx();
        int ny = geo.ny();
        int nz = geo.nz();
        DiscretizedImage d = s.discretize(image, mask);
        int l = d.levelCount();
        int[] li = d.levelIndex();
        double[] g = Arrays.stream(d.levels()).asDoubleStream().toArray();
        int[] rad = {r, r, r};
        if (s.force2D()) {
            rad[2 - s.force2DDimension()] = 0;
        }
        List<int[]> offsets = s.offsets();
        GlcmFeatureCalculator calc = new GlcmFeatureCalculator(features, d.maxLevel(), l);
        double[][] out = new double[features.size()][nx * ny * nz];
        for (double[] o : out) {
            Arrays.fill(o, Double.NaN);
        }
        for (int vz = 0; vz < nz; vz++) {
            for (int vy = 0; vy < ny; vy++) {
                for (int vx = 0; vx < nx; vx++) {
                    int v = geo.index(vx, vy, vz);
                    if (!mask[v]) {
                        continue;
                    }
                    double[] sum = new double[features.size()];
                    int[] cnt = new int[features.size()];
                    double[] weighted = new double[l * l];
                    for (int[] o : offsets) {
                        double[] p = new double[l * l];
                        double total = 0;
                        // scan the kernel box (the explicit in-box test below decides)
                        for (int uz = Math.max(0, vz - rad[2]); uz <= Math.min(nz - 1, vz + rad[2]); uz++) {
                            for (int uy = Math.max(0, vy - rad[1]); uy <= Math.min(ny - 1, vy + rad[1]); uy++) {
                                for (int ux = Math.max(0, vx - rad[0]); ux <= Math.min(nx - 1, vx + rad[0]); ux++) {
                                    int wx = ux + o[0];
                                    int wy = uy + o[1];
                                    int wz = uz + o[2];
                                    if (!geo.contains(wx, wy, wz)) {
                                        continue;
                                    }
                                    boolean inBox = Math.abs(ux - vx) <= rad[0] && Math.abs(uy - vy) <= rad[1]
                                            && Math.abs(uz - vz) <= rad[2] && Math.abs(wx - vx) <= rad[0]
                                            && Math.abs(wy - vy) <= rad[1] && Math.abs(wz - vz) <= rad[2];
                                    int u = geo.index(ux, uy, uz);
                                    int w = geo.index(wx, wy, wz);
                                    if (inBox && mask[u] && mask[w]) {
                                        p[li[d.bins()[u]] * l + li[d.bins()[w]]] += 1;
                                        total += 1;
                                        if (s.symmetricalGLCM()) {
                                            p[li[d.bins()[w]] * l + li[d.bins()[u]]] += 1;
                                            total += 1;
                                        }
                                    }
                                }
                            }
                        }
                        if (s.weightingNorm() != WeightingNorm.NONE) {
                            double wt = s.weightingNorm().weight(o[0], o[1], o[2], geo.spacing(0), geo.spacing(1),
                                    geo.spacing(2));
                            for (int k = 0; k < p.length; k++) {
                                weighted[k] += wt * p[k];
                            }
                            continue;
                        }
                        if (total == 0) {
                            continue;
                        }
                        for (int k = 0; k < p.length; k++) {
                            p[k] /= total;
                        }
                        add(p, g, l, calc, features, ownFormulas, sum, cnt);
                    }
                    if (s.weightingNorm() != WeightingNorm.NONE) {
                        double total = Arrays.stream(weighted).sum();
                        if (total > 0) {
                            for (int k = 0; k < weighted.length; k++) {
                                weighted[k] /= total;
                            }
                            add(weighted, g, l, calc, features, ownFormulas, sum, cnt);
                        }
                    }
                    for (int f = 0; f < features.size(); f++) {
                        out[f][v] = cnt[f] == 0 ? Double.NaN : sum[f] / cnt[f];
                    }
                }
            }
        }
        return out;
    }

    private static void add(double[] p, double[] g, int l, GlcmFeatureCalculator calc, List<GlcmFeature> features,
            boolean ownFormulas, double[] sum, int[] cnt) {
        double[] all = new double[GlcmFeature.values().length];
        Arrays.fill(all, Double.NaN);
        calc.compute(p, g, l, all);
        for (int f = 0; f < features.size(); f++) {
            GlcmFeature feat = features.get(f);
            double v = ownFormulas ? textbook(feat, p, g, l) : all[feat.ordinal()];
            if (Double.isNaN(v)) {
                v = all[feat.ordinal()];
            }
            if (!Double.isNaN(v)) {
                sum[f] += v;
                cnt[f]++;
            }
        }
    }

    /** Textbook definitions of the paper's four features; NaN for the others. */
    private static double textbook(GlcmFeature f, double[] p, double[] g, int l) {
        double v = 0;
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < l; j++) {
                double pij = p[i * l + j];
                switch (f) {
                    case Autocorrelation -> v += pij * g[i] * g[j];
                    case JointAverage -> v += pij * g[i];
                    case Contrast -> v += pij * (g[i] - g[j]) * (g[i] - g[j]);
                    case DifferenceAverage -> v += pij * Math.abs(g[i] - g[j]);
                    default -> {
                        return Double.NaN;
                    }
                }
            }
        }
        return v;
    }
}
