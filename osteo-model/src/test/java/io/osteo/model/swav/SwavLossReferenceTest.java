package io.osteo.model.swav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SwAV's swapped-prediction loss and Sinkhorn codes against an independent plain-Java computation
 * on a tiny non-uniform two-view batch (B = 3 samples, K = 4 prototypes), at two temperatures.
 */
class SwavLossReferenceTest {

    private static final int B = 3;
    private static final int K = 4;
    private static final double EPS = 0.05;
    private static final int ITERS = 3;

    /** Cosine-like scores of view 1 and view 2: non-uniform, different per sample and per view. */
    private static final double[][] S1 = {{0.9, -0.2, 0.1, 0.4}, {0.3, 0.8, -0.5, 0.0}, {0.6, 0.5, 0.7, -0.9}};
    private static final double[][] S2 = {{0.7, 0.1, -0.3, 0.2}, {-0.1, 0.6, 0.2, 0.3}, {0.2, 0.9, 0.4, -0.6}};

    private static double logSumExp(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) max = Math.max(max, x);
        double s = 0;
        for (double x : v) s += Math.exp(x - max);
        return max + Math.log(s);
    }

    /**
     * Log-domain Sinkhorn-Knopp as in SwAV (Q = exp(S / eps)^T; per iteration prototype rows to
     * 1/K, sample columns to 1/B; finally times B), written here from the SwAV recipe, not from our
     * implementation. Returns codes [B][K].
     */
    static double[][] sinkhorn(double[][] s, double eps, int iters) {
        int b = s.length;
        int k = s[0].length;
        double[][] lq = new double[b][k];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < k; j++) lq[i][j] = s[i][j] / eps;
        }
        for (int it = 0; it < iters; it++) {
            for (int j = 0; j < k; j++) {
                double[] col = new double[b];
                for (int i = 0; i < b; i++) col[i] = lq[i][j];
                double lse = logSumExp(col);
                for (int i = 0; i < b; i++) lq[i][j] += -lse - Math.log(k);
            }
            for (int i = 0; i < b; i++) {
                double lse = logSumExp(lq[i]);
                for (int j = 0; j < k; j++) lq[i][j] += -lse - Math.log(b);
            }
        }
        double[][] q = new double[b][k];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < k; j++) q[i][j] = Math.exp(lq[i][j] + Math.log(b));
        }
        return q;
    }

    private static double[][] softmax(double[][] s, double tau) {
        double[][] p = new double[s.length][];
        for (int i = 0; i < s.length; i++) {
            double[] row = new double[s[i].length];
            for (int j = 0; j < row.length; j++) row[j] = s[i][j] / tau;
            double lse = logSumExp(row);
            for (int j = 0; j < row.length; j++) row[j] = Math.exp(row[j] - lse);
            p[i] = row;
        }
        return p;
    }

    /** mean_b -sum_k q[b][k] log p[b][k]. */
    private static double crossEntropy(double[][] q, double[][] p) {
        double total = 0;
        for (int i = 0; i < q.length; i++) {
            for (int j = 0; j < q[i].length; j++) total -= q[i][j] * Math.log(p[i][j]);
        }
        return total / q.length;
    }

    private static float[] flat(double[][] m) {
        float[] f = new float[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) f[i * m[i].length + j] = (float) m[i][j];
        }
        return f;
    }

    @Test
    void twoViewLossMatchesTheHandComputedSwappedPredictionAtTwoTemperatures() {
        double[][] q1 = sinkhorn(S1, EPS, ITERS);
        double[][] q2 = sinkhorn(S2, EPS, ITERS);
        double previous = Double.NaN;
        for (double tau : new double[] {0.1, 0.5}) {
            double[][] p1 = softmax(S1, tau);
            double[][] p2 = softmax(S2, tau);
            // paper Eq. 1: -sum Q_1 log p_2 - sum Q_2 log p_1 (each averaged over the batch). SwavLoss,
            // like facebookresearch/swav, averages over the V(V-1) = 2 ordered view pairs: half of it.
            double paper = crossEntropy(q1, p2) + crossEntropy(q2, p1);
            double expected = paper / 2;
            SwavConfig cfg = SwavConfig.builder().projectionHidden(4).embeddingDim(2).prototypes(K).temperature(tau)
                    .sinkhornEpsilon(EPS).sinkhornIterations(ITERS).build();
            try (NDManager m = NDManager.newBaseManager(Device.cpu()); SwavLoss loss = new SwavLoss(cfg)) {
                NDArray s1 = m.create(flat(S1), new Shape(B, K));
                NDArray s2 = m.create(flat(S2), new Shape(B, K));
                s1.setRequiresGradient(true);
                s2.setRequiresGradient(true);
                NDArray z = m.zeros(new Shape(B, 2)); // embeddings: only read by the queue, which is off
                double value;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray l = loss.compute(List.of(new NDList(z, s1), new NDList(z, s2)), m.zeros(new Shape(K, 2)));
                    value = l.getFloat();
                    gc.backward(l);
                }
                assertThat(value).as("SwAV loss at tau %s", tau).isCloseTo(expected, within(1e-5));
                // codes are constants: d loss / d s_t = (softmax(s_t / tau) - Q_s) / (tau * B * 2)
                float[] g1 = s1.getGradient().toFloatArray();
                float[] g2 = s2.getGradient().toFloatArray();
                for (int i = 0; i < B; i++) {
                    for (int j = 0; j < K; j++) {
                        assertThat((double) g1[i * K + j]).as("dL/ds1[%d][%d] at tau %s", i, j, tau)
                                .isCloseTo((p1[i][j] - q2[i][j]) / (tau * B * 2), within(1e-5));
                        assertThat((double) g2[i * K + j]).as("dL/ds2[%d][%d] at tau %s", i, j, tau)
                                .isCloseTo((p2[i][j] - q1[i][j]) / (tau * B * 2), within(1e-5));
                    }
                }
                // collapse diagnostics of view 1: entropy of the batch-mean softmax(s1 / tau), distinct arg-max
                double[] mean = new double[K];
                for (double[] row : p1) {
                    for (int j = 0; j < K; j++) mean[j] += row[j] / B;
                }
                double entropy = 0;
                for (double v : mean) entropy -= v * Math.log(v);
                SwavLoss.Diagnostics d = loss.lastDiagnostics();
                assertThat(d.meanPredictionEntropy()).isCloseTo(entropy, within(1e-5));
                java.util.Set<Integer> winners = new java.util.HashSet<>();
                for (double[] row : S1) {
                    int best = 0;
                    for (int j = 1; j < K; j++) if (row[j] > row[best]) best = j;
                    winners.add(best);
                }
                assertThat(d.prototypesUsed()).isEqualTo(winners.size());
                assertThat(d.lnK()).isEqualTo(Math.log(K));
            }
            // the temperature matters: the two values differ by far more than the tolerance
            if (!Double.isNaN(previous)) assertThat(Math.abs(expected - previous)).isGreaterThan(0.05);
            previous = expected;
        }
    }

    @Test
    void sinkhornCodesMatchTheHandComputationAndHaveItsMarginals() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray q = new SinkhornKnopp(EPS, ITERS).codes(m.create(flat(S1), new Shape(B, K)));
            float[] got = q.toFloatArray();
            double[][] ref = sinkhorn(S1, EPS, ITERS);
            for (int i = 0; i < B; i++) {
                for (int j = 0; j < K; j++) {
                    assertThat((double) got[i * K + j]).as("Q[%d][%d]", i, j).isCloseTo(ref[i][j], within(1e-5));
                }
            }
            // the implementation's normalisation: each sample's codes sum to 1 (the last step of every
            // iteration); each prototype's column sums to B/K only in the limit of many iterations
            for (float rowSum : q.sum(new int[] {1}).toFloatArray()) assertThat(rowSum).isCloseTo(1f, within(1e-5f));
            NDArray many = new SinkhornKnopp(EPS, 300).codes(m.create(flat(S1), new Shape(B, K)));
            for (float colSum : many.sum(new int[] {0}).toFloatArray()) {
                assertThat((double) colSum).isCloseTo((double) B / K, within(1e-4));
            }
            for (float rowSum : many.sum(new int[] {1}).toFloatArray()) assertThat(rowSum).isCloseTo(1f, within(1e-5f));
        }
    }
}
