package io.osteo.radiomics.voxel;

import io.osteo.radiomics.glcm.GlcmFeature;
import java.util.Arrays;
import java.util.List;

/**
 * Exact fast path for features that are linear in the per-direction normalised GLCM.
 *
 * <p>For a linear feature with pair weight w, the value of direction a in the kernel of v is
 * S_a(v) / N_a(v), where N_a counts the pairs (u, u + a) with both voxels in the ROI and inside the
 * kernel box of v, and S_a sums w(level(u), level(u + a)) over them (symmetrised weight for a
 * symmetric GLCM). Both voxels lie in the box [v - r, v + r] exactly when u lies in the box shifted
 * and shrunk by a, so N_a and S_a are box sums of per-voxel "pair images"; box sums are computed as
 * three separable prefix-sum passes, at a cost independent of the kernel radius. Sums of integer
 * weights (counts, Autocorrelation, Contrast, DifferenceAverage, SumAverage, 2 x JointAverage) stay
 * below 2^53 and are therefore exact in double precision.
 *
 * <p>Work is split into z slabs; a slab recomputes the pair images of its r_z-voxel halo. One
 * instance per slab task; not thread-safe.
 */
final class LinearKernelSums {

    private final KernelProblem pb;
    private final GlcmFeature[] features;

    LinearKernelSums(KernelProblem problem, List<GlcmFeature> linearFeatures) {
        this.pb = problem;
        this.features = linearFeatures.toArray(new GlcmFeature[0]);
    }

    /** Pair weight of a linear feature (symmetrised for a symmetric GLCM). */
    static double weight(GlcmFeature f, double gi, double gj, double ng, boolean symmetric) {
        double d = gi - gj;
        return switch (f) {
            case Autocorrelation -> gi * gj;
            case JointAverage -> symmetric ? 0.5 * (gi + gj) : gi;
            case Contrast -> d * d;
            case DifferenceAverage -> Math.abs(d);
            case Id -> 1.0 / (1.0 + Math.abs(d));
            case Idm -> 1.0 / (1.0 + d * d);
            case Idn -> 1.0 / (1.0 + Math.abs(d) / ng);
            case Idmn -> 1.0 / (1.0 + (d * d) / (ng * ng));
            case InverseVariance -> d == 0 ? 0.0 : 1.0 / (d * d);
            case SumAverage -> gi + gj;
            default -> throw new IllegalArgumentException(f + " is not linear in the GLCM");
        };
    }

    /**
     * Computes the output slab z in [z0, z1): for voxels in the ROI, adds to {@code sum[f]} the
     * per-direction values (NONE) or the weighted numerators, and to {@code norm} the number of
     * non-empty directions (NONE) or the weighted pair counts.
     */
    void run(int z0, int z1, double[][] sum, double[] norm) {
        int nx = pb.nx;
        int ny = pb.ny;
        int nz = pb.nz;
        int plane = nx * ny;
        int rz = pb.radius[2];
        int ze0 = Math.max(0, z0 - rz);
        int ze1 = Math.min(nz, z1 + rz);
        int extN = (ze1 - ze0) * plane;
        int channels = features.length + 1;
        double[][] ch = new double[channels][extN];
        double[] line = new double[Math.max(nx, Math.max(ny, nz)) + 1];
        double[] planeBuf = new double[(ny + 1) * nx];
        boolean sym = pb.settings.symmetricalGLCM();
        double ng = pb.maxLevel;
        boolean[] mask = pb.mask;
        double[] gray = pb.gray;
        for (int a = 0; a < pb.offsets.size(); a++) {
            int[] o = pb.offsets.get(a);
            int dx = o[0];
            int dy = o[1];
            int dz = o[2];
            int xlo = pb.windowLo(0, dx);
            int xhi = pb.windowHi(0, dx);
            int ylo = pb.windowLo(1, dy);
            int yhi = pb.windowHi(1, dy);
            int zlo = pb.windowLo(2, dz);
            int zhi = pb.windowHi(2, dz);
            if (xlo > xhi || ylo > yhi || zlo > zhi) {
                continue; // the offset is longer than the kernel: no pair fits
            }
            for (double[] c : ch) {
                Arrays.fill(c, 0.0);
            }
            // 1. pair images over the extended slab
            int shift = dx + nx * (dy + ny * dz);
            int xs = Math.max(0, -dx);
            int xe = Math.min(nx, nx - dx);
            int ys = Math.max(0, -dy);
            int ye = Math.min(ny, ny - dy);
            int zs = Math.max(ze0, -dz);
            int zend = Math.min(ze1, nz - dz);
            double[] cnt = ch[0];
            for (int z = zs; z < zend; z++) {
                for (int y = ys; y < ye; y++) {
                    int row = nx * (y + ny * z);
                    int local = row - ze0 * plane;
                    for (int x = xs; x < xe; x++) {
                        int u = row + x;
                        if (mask[u] && mask[u + shift]) {
                            int lu = local + x;
                            cnt[lu] = 1.0;
                            double gi = gray[u];
                            double gj = gray[u + shift];
                            for (int f = 0; f < features.length; f++) {
                                ch[f + 1][lu] = weight(features[f], gi, gj, ng, sym);
                            }
                        }
                    }
                }
            }
            // 2. separable box sums: x, then y, then z (prefix sums, radius-independent)
            for (double[] c : ch) {
                boxX(c, nx, extN / nx, xlo, xhi, line);
                for (int z = 0; z < ze1 - ze0; z++) {
                    boxY(c, z * plane, nx, ny, ylo, yhi, planeBuf);
                }
                if (rz > 0) {
                    prefixZ(c, plane, ze1 - ze0);
                }
            }
            // 3. accumulate the per-direction values at the ROI voxels of the output slab
            double w = pb.weights == null ? 1.0 : pb.weights[a];
            for (int z = z0; z < z1; z++) {
                int zHi = Math.min(z + zhi, ze1 - 1) - ze0;
                int zLoM1 = z + zlo - 1 - ze0; // prefix index just before the window (< 0: none)
                for (int p = 0; p < plane; p++) {
                    int v = z * plane + p;
                    if (!mask[v]) {
                        continue;
                    }
                    double n = boxZ(cnt, p, plane, zHi, zLoM1, rz, z - ze0);
                    if (n == 0) {
                        continue;
                    }
                    if (pb.weights == null) {
                        for (int f = 0; f < features.length; f++) {
                            sum[f][v] += boxZ(ch[f + 1], p, plane, zHi, zLoM1, rz, z - ze0) / n;
                        }
                        norm[v] += 1.0;
                    } else {
                        for (int f = 0; f < features.length; f++) {
                            sum[f][v] += w * boxZ(ch[f + 1], p, plane, zHi, zLoM1, rz, z - ze0);
                        }
                        norm[v] += w * n;
                    }
                }
            }
        }
    }

    private static double boxZ(double[] c, int p, int plane, int zHi, int zLoM1, int rz, int zLocal) {
        if (rz == 0) {
            return c[zLocal * plane + p];
        }
        if (zLoM1 >= zHi) {
            return 0.0; // window clipped away by the image border
        }
        double hi = c[zHi * plane + p];
        return zLoM1 >= 0 ? hi - c[zLoM1 * plane + p] : hi;
    }

    /** In place: every x line replaced by its window sums over [x + lo, x + hi] (clipped). */
    private static void boxX(double[] c, int nx, int lines, int lo, int hi, double[] prefix) {
        for (int l = 0; l < lines; l++) {
            int base = l * nx;
            prefix[0] = 0;
            for (int x = 0; x < nx; x++) {
                prefix[x + 1] = prefix[x] + c[base + x];
            }
            for (int x = 0; x < nx; x++) {
                int e = Math.min(nx, x + hi + 1);
                int s = Math.max(0, x + lo);
                c[base + x] = e > s ? prefix[e] - prefix[s] : 0.0;
            }
        }
    }

    /** In place on one z plane: window sums along y over [y + lo, y + hi] (clipped). */
    private static void boxY(double[] c, int off, int nx, int ny, int lo, int hi, double[] buf) {
        Arrays.fill(buf, 0, nx, 0.0);
        for (int y = 0; y < ny; y++) {
            int src = off + y * nx;
            int prev = y * nx;
            int dst = prev + nx;
            for (int x = 0; x < nx; x++) {
                buf[dst + x] = buf[prev + x] + c[src + x];
            }
        }
        for (int y = 0; y < ny; y++) {
            int e = Math.min(ny, y + hi + 1);
            int s = Math.max(0, y + lo);
            int dst = off + y * nx;
            if (e <= s) {
                Arrays.fill(c, dst, dst + nx, 0.0);
                continue;
            }
            int be = e * nx;
            int bs = s * nx;
            for (int x = 0; x < nx; x++) {
                c[dst + x] = buf[be + x] - buf[bs + x];
            }
        }
    }

    /** In place: cumulative sums along z over the extended slab. */
    private static void prefixZ(double[] c, int plane, int depth) {
        for (int z = 1; z < depth; z++) {
            int cur = z * plane;
            int prev = cur - plane;
            for (int p = 0; p < plane; p++) {
                c[cur + p] += c[prev + p];
            }
        }
    }
}
