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
 * and shrunk by a, so N_a and S_a are box sums of per-voxel "pair images"; box sums come from
 * per-plane summed-area tables and a running sum along z, at a cost independent of the kernel radius. Sums of integer
 * weights (counts, Autocorrelation, Contrast, DifferenceAverage, SumAverage, 2 x JointAverage) stay
 * below 2^53 and are therefore exact in double precision.
 *
 * <p>Work is split into z slabs; a slab recomputes the pair images of its r_z-voxel halo.
 * Rounding: the running sums add and subtract planes, so non-integer weights (Id, Idm, ...) carry
 * a relative error of order 1e-15 x the number of z steps. One
 * instance per slab task; not thread-safe.
 */
final class LinearKernelSums {

    private final KernelProblem pb;
    private final GlcmFeature[] features;
    private final double[] cntRow;
    private final double[] gI;
    private final double[] gJ;
    private final double[] wRow;
    private final double[] nRow;
    private final double[] invRow;
    private final double[] boxRow;
    private double[][][] ring;
    private boolean[] inRunning;

    LinearKernelSums(KernelProblem problem, List<GlcmFeature> linearFeatures) {
        this.pb = problem;
        this.features = linearFeatures.toArray(new GlcmFeature[0]);
        this.cntRow = new double[pb.nx];
        this.gI = new double[pb.nx];
        this.gJ = new double[pb.nx];
        this.wRow = new double[pb.nx];
        this.nRow = new double[pb.nx];
        this.invRow = new double[pb.nx];
        this.boxRow = new double[pb.nx];
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
     *
     * <p>Per direction, each z plane of the pair images is turned into a summed-area table (2D box
     * sums in 4 lookups); a running sum of the tables of the planes inside the kernel's z window
     * (add the entering plane, subtract the leaving one, kept in a ring) gives the 3D box sums.
     * Everything stays in a few planes of memory, so the slab streams through the cache.
     */
    void run(int z0, int z1, double[][] sum, double[] norm) {
        int nx = pb.nx;
        int ny = pb.ny;
        int nz = pb.nz;
        int plane = nx * ny;
        int sx = nx + 1;
        int satSize = sx * (ny + 1);
        int channels = features.length + 1;
        boolean sym = pb.settings.symmetricalGLCM();
        double ng = pb.maxLevel;
        int[] xs = new int[nx];
        int[] xe = new int[nx];
        int[] ys = new int[ny];
        int[] ye = new int[ny];
        double[][] running = new double[channels][satSize];
        int maxWindow = 2 * pb.radius[2] + 1;
        ring = new double[maxWindow][channels][];
        inRunning = new boolean[maxWindow];
        for (int a = 0; a < pb.offsets.size(); a++) {
            int[] o = pb.offsets.get(a);
            int xlo = pb.windowLo(0, o[0]);
            int xhi = pb.windowHi(0, o[0]);
            int ylo = pb.windowLo(1, o[1]);
            int yhi = pb.windowHi(1, o[1]);
            int zlo = pb.windowLo(2, o[2]);
            int zhi = pb.windowHi(2, o[2]);
            if (xlo > xhi || ylo > yhi || zlo > zhi) {
                continue; // the offset is longer than the kernel: no pair fits
            }
            for (int x = 0; x < nx; x++) {
                xs[x] = clamp(x + xlo, nx);
                xe[x] = clamp(x + xhi + 1, nx);
            }
            for (int y = 0; y < ny; y++) {
                ys[y] = clamp(y + ylo, ny);
                ye[y] = clamp(y + yhi + 1, ny);
            }
            int window = zhi - zlo + 1;
            for (double[] r : running) {
                Arrays.fill(r, 0.0);
            }
            Arrays.fill(inRunning, false);
            // planes z0 + zlo .. z0 + zhi - 1 first; then each step brings in plane z + zhi, which
            // takes the ring slot (and the place in the running sum) of the leaving plane z + zlo - 1
            for (int zp = z0 + zlo; zp < z0 + zhi; zp++) {
                enter(zp, o, window, running, sym, ng, sx, satSize);
            }
            double w = pb.weights == null ? 1.0 : pb.weights[a];
            for (int z = z0; z < z1; z++) {
                enter(z + zhi, o, window, running, sym, ng, sx, satSize);
                accumulate(z, running, xs, xe, ys, ye, sx, w, sum, norm);
            }
        }
    }

    /**
     * One row of a summed-area table, s[cur + x + 1] = s[above + x + 1] + sum of values[0..x],
     * added to the running sum r; when {@code replace}, the row it overwrites is removed from r.
     */
    private static void satRow(double[] s, double[] r, boolean replace, int cur, int above, int nx, double[] values) {
        double acc = 0.0;
        if (replace) {
            for (int x = 0; x < nx; x++) {
                acc += values[x];
                int k = cur + x + 1;
                double v = s[above + x + 1] + acc;
                r[k] += v - s[k];
                s[k] = v;
            }
        } else {
            for (int x = 0; x < nx; x++) {
                acc += values[x];
                int k = cur + x + 1;
                double v = s[above + x + 1] + acc;
                r[k] += v;
                s[k] = v;
            }
        }
    }

    /** Pair weights of one row (0 where there is no pair), one tight loop per feature. */
    private static void weights(GlcmFeature f, double[] gi, double[] gj, double[] cnt, int nx, double ng, boolean sym,
            double[] w) {
        switch (f) {
            case Autocorrelation -> {
                for (int x = 0; x < nx; x++) {
                    w[x] = gi[x] * gj[x];
                }
            }
            case Contrast -> {
                for (int x = 0; x < nx; x++) {
                    double d = gi[x] - gj[x];
                    w[x] = d * d;
                }
            }
            case DifferenceAverage -> {
                for (int x = 0; x < nx; x++) {
                    w[x] = Math.abs(gi[x] - gj[x]);
                }
            }
            case JointAverage -> {
                if (sym) {
                    for (int x = 0; x < nx; x++) {
                        w[x] = 0.5 * (gi[x] + gj[x]);
                    }
                } else {
                    System.arraycopy(gi, 0, w, 0, nx);
                }
            }
            case SumAverage -> {
                for (int x = 0; x < nx; x++) {
                    w[x] = gi[x] + gj[x];
                }
            }
            default -> {
                for (int x = 0; x < nx; x++) {
                    w[x] = cnt[x] == 0 ? 0.0 : weight(f, gi[x], gj[x], ng, sym);
                }
            }
        }
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : Math.min(v, n);
    }


    /**
     * Brings plane zp into the running sums: builds its summed-area tables into its ring slot and
     * adds them, removing the tables the slot held (the plane leaving the window) in the same pass.
     * A plane outside the image contributes nothing (the slot's old plane is still removed).
     */
    private void enter(int zp, int[] o, int window, double[][] running, boolean sym, double ng, int sx, int satSize) {
        int nx = pb.nx;
        int ny = pb.ny;
        int channels = features.length + 1;
        int slot = Math.floorMod(zp, window);
        double[][] sat = ring[slot];
        boolean replace = inRunning[slot];
        if (zp < 0 || zp >= pb.nz) {
            if (replace) {
                for (int c = 0; c < channels; c++) {
                    double[] r = running[c];
                    double[] old = sat[c];
                    for (int i = 0; i < satSize; i++) {
                        r[i] -= old[i];
                    }
                }
                inRunning[slot] = false;
            }
            return;
        }
        for (int c = 0; c < channels; c++) {
            if (sat[c] == null) {
                sat[c] = new double[satSize];
            }
        }
        int dx = o[0];
        int dy = o[1];
        int dz = o[2];
        boolean zValid = zp + dz >= 0 && zp + dz < pb.nz;
        int shift = dx + nx * (dy + ny * dz);
        boolean[] mask = pb.mask;
        double[] gray = pb.gray;
        double[] cntRow = this.cntRow;
        double[] gI = this.gI;
        double[] gJ = this.gJ;
        for (int y = 0; y < ny; y++) {
            boolean yValid = zValid && y + dy >= 0 && y + dy < ny;
            int row = nx * (y + ny * zp);
            // pair row: count 0/1 and the two gray values (0 where no pair, so most weights vanish)
            for (int x = 0; x < nx; x++) {
                int u = row + x;
                if (yValid && x + dx >= 0 && x + dx < nx && mask[u] && mask[u + shift]) {
                    cntRow[x] = 1.0;
                    gI[x] = gray[u];
                    gJ[x] = gray[u + shift];
                } else {
                    cntRow[x] = 0.0;
                    gI[x] = 0.0;
                    gJ[x] = 0.0;
                }
            }
            int above = y * sx;
            int cur = above + sx;
            satRow(sat[0], running[0], replace, cur, above, nx, cntRow);
            for (int f = 0; f < features.length; f++) {
                weights(features[f], gI, gJ, cntRow, nx, ng, sym, wRow);
                satRow(sat[f + 1], running[f + 1], replace, cur, above, nx, wRow);
            }
        }
        inRunning[slot] = true;
    }

    /**
     * Adds direction a's values at every voxel of plane z. Branch-free row loops (the JIT
     * vectorises them); voxels outside the ROI get meaningless sums that the caller replaces by NaN.
     */
    private void accumulate(int z, double[][] running, int[] xs, int[] xe, int[] ys, int[] ye, int sx, double w,
            double[][] sum, double[] norm) {
        int nx = pb.nx;
        int ny = pb.ny;
        boolean weighted = pb.weights != null;
        double[] cnt = running[0];
        double[] n = nRow;
        double[] inv = invRow;
        double[] box = boxRow;
        for (int y = 0; y < ny; y++) {
            int r0 = ys[y] * sx;
            int r1 = ye[y] * sx;
            int base = nx * (y + ny * z);
            boxRow(cnt, r0, r1, xs, xe, nx, n);
            if (!weighted) {
                for (int x = 0; x < nx; x++) {
                    double c = n[x];
                    inv[x] = c > 0 ? 1.0 / c : 0.0;
                    norm[base + x] += c > 0 ? 1.0 : 0.0;
                }
                for (int f = 0; f < features.length; f++) {
                    boxRow(running[f + 1], r0, r1, xs, xe, nx, box);
                    double[] acc = sum[f];
                    for (int x = 0; x < nx; x++) {
                        acc[base + x] += box[x] * inv[x];
                    }
                }
            } else {
                for (int x = 0; x < nx; x++) {
                    norm[base + x] += w * n[x];
                }
                for (int f = 0; f < features.length; f++) {
                    boxRow(running[f + 1], r0, r1, xs, xe, nx, box);
                    double[] acc = sum[f];
                    for (int x = 0; x < nx; x++) {
                        acc[base + x] += w * box[x];
                    }
                }
            }
        }
    }

    /** Box sums of one output row from a summed-area table: rows r0 (exclusive) to r1, columns xs..xe. */
    private static void boxRow(double[] t, int r0, int r1, int[] xs, int[] xe, int nx, double[] out) {
        for (int x = 0; x < nx; x++) {
            int s0 = xs[x];
            int e0 = xe[x];
            out[x] = t[r1 + e0] - t[r0 + e0] - t[r1 + s0] + t[r0 + s0];
        }
    }
}
