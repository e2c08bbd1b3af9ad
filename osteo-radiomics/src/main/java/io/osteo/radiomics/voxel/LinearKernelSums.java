package io.osteo.radiomics.voxel;

import io.osteo.radiomics.glcm.GlcmFeature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact fast path for features that are linear in the per-direction normalised GLCM.
 *
 * <p>For a linear feature with pair weight w, the value of direction a in the kernel of v is
 * S_a(v) / N_a(v), where N_a counts the pairs (u, u + a) with both voxels in the ROI and inside the
 * kernel box of v, and S_a sums w(level(u), level(u + a)) over them (symmetrised weight for a
 * symmetric GLCM). Both voxels lie in the box [v - r, v + r] exactly when u lies in the box shifted
 * and shrunk by a (the window [lo_a, hi_a] per axis), so N_a and S_a are box sums of per-voxel "pair
 * images", computed separably with running sums at a cost independent of the kernel radius:
 * <ul>
 *   <li>z: per direction, rows Z_a of running sums over the window's z range, updated for each
 *       output plane by adding the pair row of the entering plane and subtracting that of the
 *       leaving one (pair values are recomputed, never stored as volumes);</li>
 *   <li>y: a running sum of Z_a rows over the window's y range;</li>
 *   <li>x: running sums along the row, fused with adding S_a / N_a to the plane's accumulators.</li>
 * </ul>
 * The z and y steps are loops over whole rows that index all their arrays by the same plain index,
 * the form HotSpot's C2 vectorises (rows carry zero margins, and the gray values and mask are
 * stored as rows pre-shifted along x, so that the partner u + a of a row is another row). Z_a rows
 * are brought up to date lazily, just before they enter the y sum, so they are read back from the
 * L1 cache. The x step keeps the running sums of the count and up to four features in registers.
 * Memory: the shifted input rows ((2 max|dx| + 1) x 2 doubles per voxel, shared by all slabs) and
 * per slab one plane of rows per direction and channel.
 *
 * <p>Exactness: the count and the weights of Autocorrelation, Contrast, DifferenceAverage,
 * SumAverage and JointAverage (half-integers) are exact in double precision, and so are all their
 * partial sums (far below 2^53), so S_a and N_a are exact and each S_a / N_a is correctly rounded.
 * Non-integer weights (Id, Idm, ...) carry a relative error of order 1e-15 x the number of running
 * steps.
 *
 * <p>Work is split into z slabs; a slab starts its running sums from its own halo. One instance is
 * shared by all slab tasks of a {@link VoxelGlcmMaps#compute} call: {@link #run} keeps its mutable
 * state local and is thread-safe.
 */
final class LinearKernelSums {

    /** How a feature's pair weight is computed from (gi, gj, mi, mj). */
    private enum Kind {
        AUTOCORRELATION, HALF_SUM, FIRST, SUM, SQUARED_DIFFERENCE, ABSOLUTE_DIFFERENCE, GENERIC
    }

    /** Features per fused x pass (its running sums live in registers). */
    private static final int GROUP = 4;

    private final KernelProblem pb;
    private final GlcmFeature[] features;
    private final Kind[] kinds; // per feature
    private final List<int[]> directions = new ArrayList<>();
    private final List<Double> directionWeights = new ArrayList<>();
    private final int margin; // zero columns left and right of every row
    private final int rowLength;
    private final int shiftX; // largest |dx| of a direction
    private final int shiftY; // largest |dy| of a direction
    private final double[] zeroRow;
    private final int shiftZ; // largest |dz| of a direction

    /**
     * A slab's input: gray values (0 outside the ROI) and ROI indicator (1/0) as rows shifted along
     * x, gray[dx + shiftX][z][y + shiftY][margin + x] = gray(x + dx, y, z), 0 outside the image,
     * filled for the planes the slab reads. Rows outside the image share one zero row. Each slab
     * builds its own, in parallel, and touches only its planes.
     */
    private record Rows(double[][][][] gray, double[][][][] mask) {}

    LinearKernelSums(KernelProblem problem, List<GlcmFeature> linearFeatures) {
        this.pb = problem;
        this.features = linearFeatures.toArray(new GlcmFeature[0]);
        boolean sym = pb.settings.symmetricalGLCM();
        kinds = new Kind[features.length];
        for (int f = 0; f < features.length; f++) {
            kinds[f] = switch (features[f]) {
                case Autocorrelation -> Kind.AUTOCORRELATION;
                case JointAverage -> sym ? Kind.HALF_SUM : Kind.FIRST;
                case SumAverage -> Kind.SUM;
                case Contrast -> Kind.SQUARED_DIFFERENCE;
                case DifferenceAverage -> Kind.ABSOLUTE_DIFFERENCE;
                default -> {
                    if (!features[f].isLinear()) {
                        throw new IllegalArgumentException(features[f] + " is not linear in the GLCM");
                    }
                    yield Kind.GENERIC;
                }
            };
        }
        int sxMax = 0;
        int syMax = 0;
        int szMax = 0;
        for (int a = 0; a < pb.offsets.size(); a++) {
            int[] o = pb.offsets.get(a);
            boolean fits = true;
            for (int axis = 0; axis < 3; axis++) {
                fits &= pb.windowLo(axis, o[axis]) <= pb.windowHi(axis, o[axis]);
            }
            if (fits) { // else the offset is longer than the kernel: no pair fits
                directions.add(o);
                directionWeights.add(pb.weights == null ? 1.0 : pb.weights[a]);
                sxMax = Math.max(sxMax, Math.abs(o[0]));
                syMax = Math.max(syMax, Math.abs(o[1]));
                szMax = Math.max(szMax, Math.abs(o[2]));
            }
        }
        shiftX = sxMax;
        shiftY = syMax;
        shiftZ = szMax;
        margin = pb.radius[0] + 1;
        rowLength = pb.nx + 2 * margin;
        zeroRow = new double[rowLength];
    }

    /** The shifted input rows of planes [za, zb] (clipped to the image). */
    private Rows rows(int za, int zb) {
        int nx = pb.nx;
        int ny = pb.ny;
        double[][][][] gray = new double[2 * shiftX + 1][pb.nz][][];
        double[][][][] mask = new double[2 * shiftX + 1][pb.nz][][];
        for (int s = 0; s <= 2 * shiftX; s++) {
            int dx = s - shiftX;
            int x0 = Math.max(0, -dx); // image columns x whose partner x + dx is inside the image
            int x1 = Math.min(nx, nx - dx);
            for (int z = Math.max(0, za); z <= Math.min(pb.nz - 1, zb); z++) {
                gray[s][z] = new double[ny + 2 * shiftY][];
                mask[s][z] = new double[ny + 2 * shiftY][];
                for (int yp = 0; yp < ny + 2 * shiftY; yp++) {
                    int y = yp - shiftY;
                    if (y < 0 || y >= ny) {
                        gray[s][z][yp] = zeroRow;
                        mask[s][z][yp] = zeroRow;
                        continue;
                    }
                    double[] g = new double[rowLength];
                    double[] m = new double[rowLength];
                    int src = nx * (y + ny * z) + dx;
                    for (int x = x0; x < x1; x++) {
                        g[margin + x] = pb.gray[src + x];
                        m[margin + x] = pb.mask[src + x] ? 1.0 : 0.0;
                    }
                    gray[s][z][yp] = g;
                    mask[s][z][yp] = m;
                }
            }
        }
        return new Rows(gray, mask);
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
     * Computes the output planes z in [z0, z1): writes into {@code maps[f]} the value of feature f
     * at every wanted ROI voxel whose kernel has a pair, NaN at every other voxel of those planes.
     */
    void run(int z0, int z1, double[][] maps) {
        int ny = pb.ny;
        int nd = directions.size();
        int channels = features.length + 1; // channel 0: pair count, channel f + 1: feature f
        // per direction and channel: rows of running sums over the window's z range (plane z)
        double[][][][] zSum = new double[nd][channels][ny][rowLength];
        double[][] ySum = new double[channels][rowLength];
        double[][][] acc = new double[channels][ny][pb.nx]; // acc[0]: norm, acc[f + 1]: numerator
        double[] scratch = new double[pb.nx];
        double[][] boxes = new double[GROUP + 1][pb.nx];
        boolean weighted = pb.weights != null;
        // pair planes p in [z0 - 1 - rz, z1 - 1 + rz] and their partners p + dz
        Rows rows = rows(z0 - 1 - pb.radius[2] - shiftZ, z1 - 1 + pb.radius[2] + shiftZ);
        for (int a = 0; a < nd; a++) {
            int[] o = directions.get(a);
            // the running sums as of the virtual plane z0 - 1: window planes z0 - 1 + [zlo, zhi]
            for (int zp = z0 - 1 + pb.windowLo(2, o[2]); zp <= z0 - 1 + pb.windowHi(2, o[2]); zp++) {
                for (int y = 0; y < ny; y++) {
                    pairs(rows, zSum[a], y, zp, Integer.MIN_VALUE, o);
                }
            }
        }
        for (int z = z0; z < z1; z++) {
            for (double[][] c : acc) {
                for (double[] row : c) {
                    Arrays.fill(row, 0.0);
                }
            }
            for (int a = 0; a < nd; a++) {
                int[] o = directions.get(a);
                double[][][] zs = zSum[a];
                int zEnter = z + pb.windowHi(2, o[2]);
                int zLeave = z + pb.windowLo(2, o[2]) - 1;
                int ylo = pb.windowLo(1, o[1]);
                int yhi = pb.windowHi(1, o[1]);
                int xlo = pb.windowLo(0, o[0]);
                int xhi = pb.windowHi(0, o[0]);
                double w = directionWeights.get(a);
                for (double[] c : ySum) {
                    Arrays.fill(c, 0.0);
                }
                int updated = 0; // rows below it already hold plane z's running sums
                // y running sum as of the virtual row -1: rows [ylo - 1, yhi - 1] within the image
                for (int r = Math.max(0, ylo - 1); r <= Math.min(ny - 1, yhi - 1); r++) {
                    updated = bringUpTo(rows, zs, updated, r, zEnter, zLeave, o);
                    for (int c = 0; c < channels; c++) {
                        add(ySum[c], zs[c][r]);
                    }
                }
                for (int y = 0; y < ny; y++) {
                    int rIn = y + yhi;
                    int rOut = y + ylo - 1;
                    boolean in = rIn >= 0 && rIn < ny;
                    boolean out = rOut >= 0 && rOut < ny;
                    if (in) {
                        updated = bringUpTo(rows, zs, updated, rIn, zEnter, zLeave, o);
                    }
                    for (int c = 0; c < channels; c++) {
                        if (in && out) {
                            addDifference(ySum[c], zs[c][rIn], zs[c][rOut]);
                        } else if (in) {
                            add(ySum[c], zs[c][rIn]);
                        } else if (out) {
                            subtract(ySum[c], zs[c][rOut]);
                        }
                    }
                    for (int f0 = 0; f0 < features.length; f0 += GROUP) {
                        boxAndAccumulate(ySum, acc, y, f0, f0 == 0, xlo, xhi, weighted, w, scratch, boxes);
                    }
                }
                bringUpTo(rows, zs, updated, ny - 1, zEnter, zLeave, o);
            }
            writePlane(z, acc, maps);
        }
    }

    /** Updates the running z sums of rows [from, to] for the current plane; returns the next row to update. */
    private int bringUpTo(Rows rows, double[][][] zs, int from, int to, int zEnter, int zLeave, int[] o) {
        for (int r = from; r <= to; r++) {
            pairs(rows, zs, r, zEnter, zLeave, o);
        }
        return Math.max(from, to + 1);
    }

    private void add(double[] dst, double[] src) {
        for (int i = margin; i < margin + pb.nx; i++) {
            dst[i] += src[i];
        }
    }

    private void subtract(double[] dst, double[] src) {
        for (int i = margin; i < margin + pb.nx; i++) {
            dst[i] -= src[i];
        }
    }

    private void addDifference(double[] dst, double[] plus, double[] minus) {
        for (int i = margin; i < margin + pb.nx; i++) {
            dst[i] += plus[i] - minus[i];
        }
    }

    /**
     * Box sums along x of one output row for the count and features [f0, f0 + GROUP), as running
     * sums held in registers, and their contributions to the accumulators of row y: S / N to the
     * numerators and 1 to the norm (the number of non-empty directions), or with a weighting norm
     * w S and w N. Where N = 0 then S = 0 too, so dividing by max(N, 1) adds exactly nothing. The
     * norm is updated only when {@code withNorm}. Missing features of a short group read a zero
     * row and write to {@code scratch}.
     */
    private void boxAndAccumulate(double[][] ySum, double[][][] acc, int y, int f0, boolean withNorm, int xlo,
            int xhi, boolean weighted, double w, double[] scratch, double[][] boxes) {
        int nx = pb.nx;
        int nf = features.length;
        double[] c0 = ySum[0];
        double[] s1 = f0 < nf ? ySum[f0 + 1] : zeroRow;
        double[] s2 = f0 + 1 < nf ? ySum[f0 + 2] : zeroRow;
        double[] s3 = f0 + 2 < nf ? ySum[f0 + 3] : zeroRow;
        double[] s4 = f0 + 3 < nf ? ySum[f0 + 4] : zeroRow;
        double[] norm = withNorm ? acc[0][y] : scratch;
        double[] a1 = f0 < nf ? acc[f0 + 1][y] : scratch;
        double[] a2 = f0 + 1 < nf ? acc[f0 + 2][y] : scratch;
        double[] a3 = f0 + 2 < nf ? acc[f0 + 3][y] : scratch;
        double[] a4 = f0 + 3 < nf ? acc[f0 + 4][y] : scratch;
        // box of x = -1: ySum[margin - 1 + xlo .. margin - 1 + xhi]
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        double b3 = 0;
        double b4 = 0;
        for (int i = margin - 1 + xlo; i <= margin - 1 + xhi; i++) {
            b0 += c0[i];
            b1 += s1[i];
            b2 += s2[i];
            b3 += s3[i];
            b4 += s4[i];
        }
        int enter = margin + xhi; // index entering the box of x, minus x
        int leave = margin + xlo - 1;
        if (!weighted) {
            // running sums (serial, scalar) into rows, then the multiply-adds as plain row loops
            double[] inv = boxes[0];
            double[] r1 = boxes[1];
            double[] r2 = boxes[2];
            double[] r3 = boxes[3];
            double[] r4 = boxes[4];
            for (int x = 0; x < nx; x++) {
                int e = enter + x;
                int l = leave + x;
                b0 += c0[e] - c0[l];
                r1[x] = b1 += s1[e] - s1[l];
                r2[x] = b2 += s2[e] - s2[l];
                r3[x] = b3 += s3[e] - s3[l];
                r4[x] = b4 += s4[e] - s4[l];
                inv[x] = 1.0 / Math.max(b0, 1.0);
                norm[x] += Math.min(b0, 1.0);
            }
            multiplyAdd(a1, r1, inv);
            multiplyAdd(a2, r2, inv);
            multiplyAdd(a3, r3, inv);
            multiplyAdd(a4, r4, inv);
        } else {
            for (int x = 0; x < nx; x++) {
                int e = enter + x;
                int l = leave + x;
                b0 += c0[e] - c0[l];
                b1 += s1[e] - s1[l];
                b2 += s2[e] - s2[l];
                b3 += s3[e] - s3[l];
                b4 += s4[e] - s4[l];
                norm[x] += w * b0;
                a1[x] += w * b1;
                a2[x] += w * b2;
                a3[x] += w * b3;
                a4[x] += w * b4;
            }
        }
    }

    /** acc[x] += values[x] * factor[x]. */
    private static void multiplyAdd(double[] acc, double[] values, double[] factor) {
        for (int x = 0; x < acc.length; x++) {
            acc[x] += values[x] * factor[x];
        }
    }

    /**
     * Adds to the running sums zs[c][y] the pair weights of row y of plane {@code zIn} and subtracts
     * those of plane {@code zOut} (pairs (u, u + o) with both voxels in the ROI). A plane whose
     * partner plane is outside the image (or that is itself outside) has no pairs: it reads zero rows.
     * One short loop per channel: C2 (JDK 17) vectorises these, not a fused loop over all channels.
     */
    private void pairs(Rows rows, double[][][] zs, int y, int zIn, int zOut, int[] o) {
        double[][][][] gray = rows.gray();
        double[][][][] mask = rows.mask();
        int yi = y + shiftY;
        int yj = yi + o[1];
        int sj = shiftX + o[0];
        boolean in = hasPairs(zIn, o[2]);
        boolean out = hasPairs(zOut, o[2]);
        if (!in && !out) {
            return;
        }
        double[] gi = in ? gray[shiftX][zIn][yi] : zeroRow;
        double[] mi = in ? mask[shiftX][zIn][yi] : zeroRow;
        double[] gj = in ? gray[sj][zIn + o[2]][yj] : zeroRow;
        double[] mj = in ? mask[sj][zIn + o[2]][yj] : zeroRow;
        double[] go = out ? gray[shiftX][zOut][yi] : zeroRow;
        double[] mo = out ? mask[shiftX][zOut][yi] : zeroRow;
        double[] gp = out ? gray[sj][zOut + o[2]][yj] : zeroRow;
        double[] mp = out ? mask[sj][zOut + o[2]][yj] : zeroRow;
        int lo = margin; // the image columns; margins stay zero
        int hi = margin + pb.nx;
        double[] count = zs[0][y];
        for (int i = lo; i < hi; i++) {
            count[i] += mi[i] * mj[i] - mo[i] * mp[i];
        }
        double ng = pb.maxLevel;
        boolean sym = pb.settings.symmetricalGLCM();
        for (int f = 0; f < features.length; f++) {
            double[] dst = zs[f + 1][y];
            switch (kinds[f]) {
                case AUTOCORRELATION -> {
                    for (int i = lo; i < hi; i++) {
                        dst[i] += gi[i] * gj[i] - go[i] * gp[i];
                    }
                }
                case HALF_SUM -> {
                    for (int i = lo; i < hi; i++) {
                        dst[i] += 0.5 * ((gi[i] * mj[i] + mi[i] * gj[i]) - (go[i] * mp[i] + mo[i] * gp[i]));
                    }
                }
                case FIRST -> {
                    for (int i = lo; i < hi; i++) {
                        dst[i] += gi[i] * mj[i] - go[i] * mp[i];
                    }
                }
                case SUM -> {
                    for (int i = lo; i < hi; i++) {
                        dst[i] += (gi[i] * mj[i] + mi[i] * gj[i]) - (go[i] * mp[i] + mo[i] * gp[i]);
                    }
                }
                case SQUARED_DIFFERENCE -> {
                    for (int i = lo; i < hi; i++) {
                        double d = gi[i] - gj[i];
                        double e = go[i] - gp[i];
                        dst[i] += d * d * (mi[i] * mj[i]) - e * e * (mo[i] * mp[i]);
                    }
                }
                case ABSOLUTE_DIFFERENCE -> {
                    for (int i = lo; i < hi; i++) {
                        dst[i] += Math.abs(gi[i] - gj[i]) * (mi[i] * mj[i]) - Math.abs(go[i] - gp[i]) * (mo[i] * mp[i]);
                    }
                }
                case GENERIC -> {
                    GlcmFeature feature = features[f];
                    for (int i = lo; i < hi; i++) {
                        double wIn = mi[i] * mj[i] != 0.0 ? weight(feature, gi[i], gj[i], ng, sym) : 0.0;
                        double wOut = mo[i] * mp[i] != 0.0 ? weight(feature, go[i], gp[i], ng, sym) : 0.0;
                        dst[i] += wIn - wOut;
                    }
                }
                default -> throw new IllegalStateException(kinds[f].toString());
            }
        }
    }

    /** True when plane z and its partner plane z + dz are inside the image. */
    private boolean hasPairs(int z, int dz) {
        return z >= 0 && z < pb.nz && z + dz >= 0 && z + dz < pb.nz;
    }

    /** Final values of plane z: numerator / norm at wanted voxels with a pair, NaN elsewhere. */
    private void writePlane(int z, double[][][] acc, double[][] maps) {
        int nx = pb.nx;
        double[][] norm = acc[0];
        for (int f = 0; f < features.length; f++) {
            double[][] s = acc[f + 1];
            double[] out = maps[f];
            for (int y = 0; y < pb.ny; y++) {
                int base = nx * (y + pb.ny * z);
                double[] n = norm[y];
                double[] sr = s[y];
                for (int x = 0; x < nx; x++) {
                    out[base + x] = n[x] > 0 && pb.wanted(base + x) ? sr[x] / n[x] : Double.NaN;
                }
            }
        }
    }
}
