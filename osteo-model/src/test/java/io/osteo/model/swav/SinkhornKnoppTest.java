package io.osteo.model.swav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SinkhornKnoppTest {

    private static float[][] rows(NDArray a) {
        int b = (int) a.getShape().get(0);
        int k = (int) a.getShape().get(1);
        float[] flat = a.toFloatArray();
        float[][] out = new float[b][k];
        for (int i = 0; i < b; i++) {
            System.arraycopy(flat, i * k, out[i], 0, k);
        }
        return out;
    }

    private static float[] randomScores(int b, int k, long seed) {
        Random r = new Random(seed);
        float[] s = new float[b * k];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (2 * r.nextDouble() - 1); // cosine similarities
        }
        return s;
    }

    /** SwAV's reference algorithm in double precision, in the probability domain. */
    private static double[][] naive(float[] scores, int b, int k, double eps, int iters) {
        double[][] q = new double[k][b];
        double total = 0;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < k; j++) {
                q[j][i] = Math.exp(scores[i * k + j] / eps);
                total += q[j][i];
            }
        }
        for (double[] row : q) {
            for (int i = 0; i < b; i++) {
                row[i] /= total;
            }
        }
        for (int it = 0; it < iters; it++) {
            for (double[] row : q) {
                double s = 0;
                for (double v : row) {
                    s += v;
                }
                for (int i = 0; i < b; i++) {
                    row[i] /= s * k;
                }
            }
            for (int i = 0; i < b; i++) {
                double s = 0;
                for (int j = 0; j < k; j++) {
                    s += q[j][i];
                }
                for (int j = 0; j < k; j++) {
                    q[j][i] /= s * b;
                }
            }
        }
        double[][] out = new double[b][k];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < k; j++) {
                out[i][j] = q[j][i] * b;
            }
        }
        return out;
    }

    @Test
    void matchesSwavReferenceAndEachSampleSumsToOne() {
        int b = 16;
        int k = 10;
        float[] s = randomScores(b, k, 1);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            float[][] q = rows(new SinkhornKnopp(0.05, 3).codes(m.create(s, new Shape(b, k))));
            double[][] ref = naive(s, b, k, 0.05, 3);
            for (int i = 0; i < b; i++) {
                double rowSum = 0;
                for (int j = 0; j < k; j++) {
                    assertThat((double) q[i][j]).isCloseTo(ref[i][j], within(1e-4));
                    rowSum += q[i][j];
                }
                assertThat(rowSum).isCloseTo(1.0, within(1e-5));
            }
        }
    }

    @Test
    void prototypeMarginalsApproachBatchOverK() {
        int b = 64;
        int k = 8;
        float[] s = randomScores(b, k, 2);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray scores = m.create(s, new Shape(b, k));
            float[] few = new SinkhornKnopp(0.05, 3).codes(scores).sum(new int[] {0}).toFloatArray();
            float[] many = new SinkhornKnopp(0.05, 200).codes(scores).sum(new int[] {0}).toFloatArray();
            double target = (double) b / k;
            double errFew = 0;
            for (int j = 0; j < k; j++) {
                assertThat((double) many[j]).isCloseTo(target, within(1e-3 * target));
                errFew = Math.max(errFew, Math.abs(few[j] - target));
            }
            // three iterations already move towards equipartition from the raw softmax
            float[] raw = scores.div(0.05).softmax(1).sum(new int[] {0}).toFloatArray();
            double errRaw = 0;
            for (int j = 0; j < k; j++) {
                errRaw = Math.max(errRaw, Math.abs(raw[j] - target));
            }
            assertThat(errFew).isLessThan(errRaw);
        }
    }

    @Test
    void stableForLargeKAndTinyEpsilon() {
        int b = 32;
        int k = 3000;
        float[] s = randomScores(b, k, 3);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            // exp(1/0.001) overflows float and double: the log domain must not
            NDArray q = new SinkhornKnopp(0.001, 3).codes(m.create(s, new Shape(b, k)));
            assertThat(q.isNaN().any().getBoolean()).isFalse();
            assertThat(q.isInfinite().any().getBoolean()).isFalse();
            for (float rowSum : q.sum(new int[] {1}).toFloatArray()) {
                assertThat(rowSum).isCloseTo(1f, within(1e-4f));
            }
            assertThat(q.sum().getFloat()).isCloseTo(b, within(1e-2f));
        }
    }

    @Test
    void codesCarryNoGradient() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray scores = m.create(randomScores(4, 3, 4), new Shape(4, 3));
            scores.setRequiresGradient(true);
            try (var gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray q = new SinkhornKnopp(0.05, 3).codes(scores);
                assertThat(q.hasGradient()).isFalse();
            }
        }
    }
}
