package io.osteo.radiomics.glcm;

import java.util.Arrays;
import java.util.Collection;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * Computes GLCM features of one co-occurrence matrix with PyRadiomics' formulas
 * ({@code radiomics/glcm.py}): entropies use {@code log2(p + eps)} with eps = 2^-52 (numpy's
 * {@code spacing(1)}), Correlation is 1 where sigma_x sigma_y = 0, Imc1 is 0 where max(HX, HY) = 0,
 * Imc2 is 0 where HXY2 = HXY (and NaN where rounding makes HXY2 < HXY, as in PyRadiomics),
 * the difference/sum distributions are indexed by the gray values |i - j| and i + j, and
 * Idn/Idmn normalise by Ng = the largest gray level present in the ROI.
 *
 * <p>The matrix may be compacted to any subset of gray levels that holds all its non-zero entries
 * (levels given by value), because every feature except MCC ignores empty rows and columns. MCC is
 * sqrt of the second largest eigenvalue of {@code Q(i,j) = sum_k p(i,k) p(j,k) / (px(i) py(k))}
 * over the ROI's gray levels: we compute it from the symmetric matrix similar to Q (same
 * eigenvalues), so PyRadiomics' "+ eps" in Q's denominator (a relative change below 1e-8 for
 * any matrix with fewer than 10^7 pairs) is not applied, and a negative rounding residue of the
 * second eigenvalue is taken as 0 (numpy would give NaN). Where the ROI has a single gray level MCC
 * is 1 (PyRadiomics' flat-region rule); where a matrix has one level but the ROI several, the
 * zero rows give a second eigenvalue of 0, so MCC is 0.
 *
 * <p>Not thread-safe: one instance per thread (it owns scratch arrays).
 */
public final class GlcmFeatureCalculator {

    /** numpy.spacing(1), the eps PyRadiomics adds inside log2 and denominators. */
    public static final double EPS = Math.ulp(1.0);
    private static final double LN2 = Math.log(2.0);

    private final boolean[] want = new boolean[GlcmFeature.values().length];
    private final boolean needMcc;
    private final int ng;
    private final int roiLevelCount;
    private final double[] pxSuby;
    private final double[] pxAddy;
    private final int[] touchedSub;
    private final int[] touchedAdd;
    private double[] px = new double[16];
    private double[] py = new double[16];

    /**
     * @param features the features to compute (others are left untouched in the output)
     * @param ng PyRadiomics' Ng: the largest gray level (bin number) present in the ROI
     * @param roiLevelCount number of distinct gray levels present in the ROI (for MCC's flat rule)
     */
    public GlcmFeatureCalculator(Collection<GlcmFeature> features, int ng, int roiLevelCount) {
        for (GlcmFeature f : features) {
            want[f.ordinal()] = true;
        }
        this.needMcc = want[GlcmFeature.MCC.ordinal()];
        this.ng = ng;
        this.roiLevelCount = roiLevelCount;
        this.pxSuby = new double[ng + 1];
        this.pxAddy = new double[2 * ng + 2];
        this.touchedSub = new int[ng + 1];
        this.touchedAdd = new int[2 * ng + 2];
    }

    private static double log2(double x) {
        return Math.log(x) / LN2;
    }

    /**
     * Computes the features of the normalised matrix {@code p} (m x m, row-major, sum 1; row index
     * = gray level of the centre voxel) whose rows/columns have gray values {@code g}.
     *
     * @param out written at index {@code feature.ordinal()} for each requested feature
     */
    public void compute(double[] p, double[] g, int m, double[] out) {
        if (px.length < m) {
            px = new double[m];
            py = new double[m];
        }
        Arrays.fill(px, 0, m, 0.0);
        Arrays.fill(py, 0, m, 0.0);
        double ux = 0;
        double uy = 0;
        double autocorr = 0;
        double contrast = 0;
        double energy = 0;
        double hxy = 0;
        double maxProb = 0;
        int nSub = 0;
        int nAdd = 0;
        for (int i = 0; i < m; i++) {
            double gi = g[i];
            int row = i * m;
            for (int j = 0; j < m; j++) {
                double v = p[row + j];
                if (v == 0) {
                    continue;
                }
                double gj = g[j];
                px[i] += v;
                py[j] += v;
                ux += gi * v;
                uy += gj * v;
                autocorr += v * gi * gj;
                double d = gi - gj;
                contrast += v * d * d;
                energy += v * v;
                hxy -= v * log2(v + EPS);
                if (v > maxProb) {
                    maxProb = v;
                }
                int ks = (int) Math.abs(d);
                if (pxSuby[ks] == 0) {
                    touchedSub[nSub++] = ks;
                }
                pxSuby[ks] += v;
                int ka = (int) (gi + gj);
                if (pxAddy[ka] == 0) {
                    touchedAdd[nAdd++] = ka;
                }
                pxAddy[ka] += v;
            }
        }
        // second pass: moments about the means
        double sigx2 = 0;
        double sigy2 = 0;
        double corm = 0;
        double c2 = 0;
        double c3 = 0;
        double c4 = 0;
        double hxy1 = 0;
        for (int i = 0; i < m; i++) {
            double di = g[i] - ux;
            int row = i * m;
            for (int j = 0; j < m; j++) {
                double v = p[row + j];
                if (v == 0) {
                    continue;
                }
                double dj = g[j] - uy;
                sigx2 += v * di * di;
                sigy2 += v * dj * dj;
                corm += v * di * dj;
                double s = g[i] + g[j] - ux - uy;
                double s2 = s * s;
                c2 += v * s2;
                c3 += v * s2 * s;
                c4 += v * s2 * s2;
                hxy1 -= v * log2(px[i] * py[j] + EPS);
            }
        }
        double hx = 0;
        double hy = 0;
        for (int i = 0; i < m; i++) {
            if (px[i] != 0) {
                hx -= px[i] * log2(px[i] + EPS);
            }
            if (py[i] != 0) {
                hy -= py[i] * log2(py[i] + EPS);
            }
        }
        double hxy2 = 0;
        if (want[GlcmFeature.Imc2.ordinal()]) {
            for (int i = 0; i < m; i++) {
                if (px[i] == 0) {
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    double q = px[i] * py[j];
                    if (q != 0) {
                        hxy2 -= q * log2(q + EPS);
                    }
                }
            }
        }
        double diffAvg = 0;
        double diffEnt = 0;
        double idm = 0;
        double idmn = 0;
        double id = 0;
        double idn = 0;
        double invVar = 0;
        double ng2 = (double) ng * ng;
        for (int t = 0; t < nSub; t++) {
            int k = touchedSub[t];
            double v = pxSuby[k];
            diffAvg += k * v;
            diffEnt -= v * log2(v + EPS);
            idm += v / (1.0 + (double) k * k);
            idmn += v / (1.0 + ((double) k * k) / ng2);
            id += v / (1.0 + k);
            idn += v / (1.0 + (double) k / ng);
            if (k > 0) {
                invVar += v / ((double) k * k);
            }
        }
        double diffVar = 0;
        for (int t = 0; t < nSub; t++) {
            int k = touchedSub[t];
            double dk = k - diffAvg;
            diffVar += pxSuby[k] * dk * dk;
            pxSuby[k] = 0;
        }
        double sumAvg = 0;
        double sumEnt = 0;
        for (int t = 0; t < nAdd; t++) {
            int k = touchedAdd[t];
            double v = pxAddy[k];
            sumAvg += k * v;
            sumEnt -= v * log2(v + EPS);
            pxAddy[k] = 0;
        }
        set(out, GlcmFeature.Autocorrelation, autocorr);
        set(out, GlcmFeature.JointAverage, ux);
        set(out, GlcmFeature.ClusterProminence, c4);
        set(out, GlcmFeature.ClusterShade, c3);
        set(out, GlcmFeature.ClusterTendency, c2);
        set(out, GlcmFeature.Contrast, contrast);
        double sig = Math.sqrt(sigx2) * Math.sqrt(sigy2);
        set(out, GlcmFeature.Correlation, sig == 0 ? 1.0 : corm / (sig + EPS));
        set(out, GlcmFeature.DifferenceAverage, diffAvg);
        set(out, GlcmFeature.DifferenceEntropy, diffEnt);
        set(out, GlcmFeature.DifferenceVariance, diffVar);
        set(out, GlcmFeature.JointEnergy, energy);
        set(out, GlcmFeature.JointEntropy, hxy);
        double div = Math.max(hx, hy);
        set(out, GlcmFeature.Imc1, div == 0 ? 0.0 : (hxy - hxy1) / div);
        set(out, GlcmFeature.Imc2, hxy2 == hxy ? 0.0 : Math.sqrt(1 - Math.exp(-2 * (hxy2 - hxy))));
        set(out, GlcmFeature.Idm, idm);
        set(out, GlcmFeature.Idmn, idmn);
        set(out, GlcmFeature.Id, id);
        set(out, GlcmFeature.Idn, idn);
        set(out, GlcmFeature.InverseVariance, invVar);
        set(out, GlcmFeature.MaximumProbability, maxProb);
        set(out, GlcmFeature.SumAverage, sumAvg);
        set(out, GlcmFeature.SumEntropy, sumEnt);
        set(out, GlcmFeature.SumSquares, sigx2);
        if (needMcc) {
            out[GlcmFeature.MCC.ordinal()] = mcc(p, m);
        }
    }

    private void set(double[] out, GlcmFeature f, double value) {
        if (want[f.ordinal()]) {
            out[f.ordinal()] = value;
        }
    }

    private double mcc(double[] p, int m) {
        if (roiLevelCount < 2) {
            return 1.0; // PyRadiomics: flat region (1x1 matrix) gives 1
        }
        int[] rows = new int[m];
        int r = 0;
        for (int i = 0; i < m; i++) {
            if (px[i] > 0) {
                rows[r++] = i;
            }
        }
        if (r < 2) {
            return 0.0; // one non-zero eigenvalue (1); the zero rows of the ROI's other levels give 0
        }
        double[][] s = new double[r][r];
        for (int a = 0; a < r; a++) {
            int i = rows[a];
            for (int b = a; b < r; b++) {
                int j = rows[b];
                double sum = 0;
                for (int k = 0; k < m; k++) {
                    double pik = p[i * m + k];
                    if (pik != 0 && py[k] != 0) {
                        sum += pik * p[j * m + k] / py[k];
                    }
                }
                double v = sum / Math.sqrt(px[i] * px[j]);
                s[a][b] = v;
                s[b][a] = v;
            }
        }
        double[] ev = new EigenDecomposition(new Array2DRowRealMatrix(s, false)).getRealEigenvalues();
        Arrays.sort(ev);
        return Math.sqrt(Math.max(0.0, ev[ev.length - 2]));
    }
}
