package io.osteo.model.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.osteo.api.InvalidInputException;
import org.junit.jupiter.api.Test;

class MultiTaskLossTest {

    private static double ce(float[] logits, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        return -(logits[label] - max - Math.log(sum));
    }

    /** Predictions for 3 samples: class logits, BMD, position logits (only 3 used columns matter). */
    private static NDList predictions(NDManager m) {
        float[] cls = {2f, -1f, 0.5f, 0.5f, -3f, 1f};
        float[] bmd = {0.8f, 1.1f, 0.4f};
        float[] pos = new float[3 * 18];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = (float) Math.sin(i);
        }
        return new NDList(m.create(cls, new Shape(3, 2)), m.create(bmd, new Shape(3, 1)),
                m.create(pos, new Shape(3, 18)), m.ones(new Shape(3, 3)).div(3), m.zeros(new Shape(3, 4)));
    }

    @Test
    void unifiedLossIsWeightedSumOfMaskedTerms() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDList pred = predictions(m);
            NDList labels = new NDList(m.create(new int[] {0, 1, -1}), m.create(new float[] {1.0f, Float.NaN, 0.9f}),
                    m.create(new int[] {3, 17, -1}));
            MultiTaskLoss.Terms t = new MultiTaskLoss(TaskWeights.unified()).terms(labels, pred);

            double cls = (ce(new float[] {2f, -1f}, 0) + ce(new float[] {0.5f, 0.5f}, 1)) / 2;
            double bmd = (Math.pow(0.8 - 1.0, 2) + Math.pow(0.4 - 0.9, 2)) / 2; // full MSE, NaN sample skipped
            float[] p0 = new float[18];
            float[] p1 = new float[18];
            for (int i = 0; i < 18; i++) {
                p0[i] = (float) Math.sin(i);
                p1[i] = (float) Math.sin(18 + i);
            }
            double pos = (ce(p0, 3) + ce(p1, 17)) / 2;
            assertThat((double) t.classification().getFloat()).isCloseTo(cls, within(1e-5));
            assertThat((double) t.bmd().getFloat()).isCloseTo(bmd, within(1e-6));
            assertThat((double) t.position().getFloat()).isCloseTo(pos, within(1e-5));
            assertThat((double) t.total().getFloat()).isCloseTo(cls + bmd + 0.5 * pos, within(1e-5));
            assertThat(t.total().isNaN().getBoolean()).isFalse();
            assertThat(t.total().getDataType()).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32);
        }
    }

    @Test
    void paperWeightsOnATwoSampleBatchThroughTheLossApi() {
        // the paper's L = 1.0 * CE(class) + 1.0 * MSE(BMD) + 0.5 * CE(position)
        assertThat(TaskWeights.unified()).isEqualTo(new TaskWeights(1.0, 1.0, 0.5));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            float[] cls = {1.5f, -0.5f, -0.25f, 0.75f};
            float[] pos = new float[2 * 18];
            for (int i = 0; i < pos.length; i++) pos[i] = (float) (0.3 * Math.cos(1.7 * i));
            NDList pred = new NDList(m.create(cls, new Shape(2, 2)), m.create(new float[] {0.2f, -1.3f}, new Shape(2, 1)),
                    m.create(pos, new Shape(2, 18)), m.ones(new Shape(2, 3)).div(3), m.zeros(new Shape(2, 4)));
            float[] pos0 = java.util.Arrays.copyOfRange(pos, 0, 18);
            float[] pos1 = java.util.Arrays.copyOfRange(pos, 18, 36);

            // all targets present
            NDList full = new NDList(m.create(new int[] {1, 0}), m.create(new float[] {0.5f, -1.0f}), m.create(new int[] {4, 11}));
            double ce = (ce(new float[] {1.5f, -0.5f}, 1) + ce(new float[] {-0.25f, 0.75f}, 0)) / 2;
            double mse = (Math.pow(0.2 - 0.5, 2) + Math.pow(-1.3 + 1.0, 2)) / 2;
            double posCe = (ce(pos0, 4) + ce(pos1, 11)) / 2;
            MultiTaskLoss loss = new MultiTaskLoss(TaskWeights.unified());
            assertThat((double) loss.evaluate(full, pred).getFloat()).isCloseTo(1.0 * ce + 1.0 * mse + 0.5 * posCe, within(1e-5));

            // sample 0 has no BMD, sample 1 no class and no position: each term averages over its present targets
            NDList masked = new NDList(m.create(new int[] {1, -1}), m.create(new float[] {Float.NaN, -1.0f}),
                    m.create(new int[] {4, -1}));
            double expected = ce(new float[] {1.5f, -0.5f}, 1) + Math.pow(-1.3 + 1.0, 2) + 0.5 * ce(pos0, 4);
            assertThat((double) loss.evaluate(masked, pred).getFloat()).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void switchedOffTermsAreAbsentAndMissingTargetsGiveZero() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDList pred = predictions(m);
            NDList labels = new NDList(m.create(new int[] {0, 1, 1}),
                    m.create(new float[] {Float.NaN, Float.NaN, Float.NaN}), m.create(new int[] {-1, -1, -1}));
            MultiTaskLoss.Terms classOnly = new MultiTaskLoss(TaskWeights.classOnly()).terms(labels, pred);
            assertThat(classOnly.bmd()).isNull();
            assertThat(classOnly.position()).isNull();
            assertThat(classOnly.total().getFloat()).isEqualTo(classOnly.classification().getFloat());

            MultiTaskLoss.Terms unified = new MultiTaskLoss(TaskWeights.unified()).terms(labels, pred);
            assertThat(unified.bmd().getFloat()).isZero();
            assertThat(unified.position().getFloat()).isZero();
            assertThat(unified.total().getFloat()).isCloseTo(classOnly.total().getFloat(), within(1e-6f));

            assertThat(new MultiTaskLoss(TaskWeights.classAndBmd()).terms(labels, pred).position()).isNull();
            assertThat(new MultiTaskLoss(TaskWeights.classAndPosition()).terms(labels, pred).bmd()).isNull();
        }
    }

    @Test
    void outOfRangeLabelsAndBadWeightsAreRejected() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDList pred = predictions(m);
            NDList labels = new NDList(m.create(new int[] {0, 2, 1}), m.create(new float[] {1, 1, 1}),
                    m.create(new int[] {0, 0, 0}));
            assertThatThrownBy(() -> new MultiTaskLoss(TaskWeights.unified()).evaluate(labels, pred))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("-1..1");
        }
        assertThatThrownBy(() -> new TaskWeights(0, 0, 0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new TaskWeights(-1, 1, 1)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void gradientFlowsOnlyThroughPresentTargets() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray bmd = m.create(new float[] {0.5f, 0.7f}, new Shape(2, 1));
            bmd.setRequiresGradient(true);
            try (var gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray loss = MultiTaskLoss.maskedMse(bmd, m.create(new float[] {1.0f, Float.NaN}));
                gc.backward(loss);
            }
            float[] g = bmd.getGradient().toFloatArray();
            assertThat(g[0]).isCloseTo(2 * (0.5f - 1.0f), within(1e-6f)); // d/dp (p - t)^2 / 1
            assertThat(g[1]).isZero();
        }
    }
}
