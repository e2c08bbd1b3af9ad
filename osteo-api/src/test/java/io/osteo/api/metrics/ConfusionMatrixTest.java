package io.osteo.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.InvalidInputException;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    // Hand-computed example (also used in RocCurveTest):
    //   positives: 0.9, 0.6, 0.4          negatives: 0.7, 0.4, 0.3, 0.2, 0.1
    //   threshold 0.5 -> predicted positive: 0.9 (TP), 0.6 (TP), 0.7 (FP)
    //   TP = 2, FP = 1, FN = 1 (0.4), TN = 4 (0.4, 0.3, 0.2, 0.1)
    //   ACC = 6/8, SEN = 2/3, SPE = 4/5, PPV = 2/3, NPV = 4/5, F1 = 2*2/(2*2+1+1) = 2/3
    static final boolean[] LABELS = {true, true, true, false, false, false, false, false};
    static final double[] SCORES = {0.9, 0.6, 0.4, 0.7, 0.4, 0.3, 0.2, 0.1};

    @Test
    void handComputedExample() {
        ConfusionMatrix cm = ConfusionMatrix.of(LABELS, SCORES, 0.5);
        assertThat(cm).isEqualTo(new ConfusionMatrix(2, 1, 4, 1));
        assertThat(cm.accuracy()).hasValue(0.75);
        assertThat(cm.sensitivity().getAsDouble()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(cm.specificity()).hasValue(0.8);
        assertThat(cm.ppv().getAsDouble()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(cm.npv()).hasValue(0.8);
        assertThat(cm.f1().getAsDouble()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void thresholdIsInclusive() {
        // 0.4 >= 0.4: both tied units become positive -> TP 3, FP 2
        assertThat(ConfusionMatrix.of(LABELS, SCORES, 0.4)).isEqualTo(new ConfusionMatrix(3, 2, 3, 0));
    }

    @Test
    void f1IsHarmonicMeanOfPrecisionAndRecall() {
        ConfusionMatrix cm = new ConfusionMatrix(7, 3, 11, 5);
        double p = cm.ppv().getAsDouble();
        double r = cm.sensitivity().getAsDouble();
        assertThat(cm.f1().getAsDouble()).isCloseTo(2 * p * r / (p + r), within(1e-12));
    }

    @Test
    void zeroDenominatorsAreEmptyNotNaN() {
        // only negatives, all predicted negative: SEN, PPV, F1 undefined; SPE, NPV, ACC = 1
        ConfusionMatrix cm = new ConfusionMatrix(0, 0, 5, 0);
        assertThat(cm.sensitivity()).isEmpty();
        assertThat(cm.ppv()).isEmpty();
        assertThat(cm.f1()).isEmpty();
        assertThat(cm.specificity()).hasValue(1.0);
        assertThat(cm.npv()).hasValue(1.0);
        assertThat(cm.accuracy()).hasValue(1.0);
        ConfusionMatrix empty = new ConfusionMatrix(0, 0, 0, 0);
        for (ClassificationMetric m : ClassificationMetric.values()) {
            if (m.needsThreshold()) {
                assertThat(empty.value(m)).as(m.name()).isEmpty();
            }
        }
        // positives present but none detected: F1 is defined and 0
        assertThat(new ConfusionMatrix(0, 0, 3, 2).f1()).hasValue(0.0);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> ConfusionMatrix.of(new boolean[2], new double[3], 0.5))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("2 labels and 3 scores");
        assertThatThrownBy(() -> ConfusionMatrix.of(new boolean[2], new double[] {0.1, Double.NaN}, 0.5))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("score 1 is NaN");
        assertThatThrownBy(() -> new ConfusionMatrix(-1, 0, 0, 0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new ConfusionMatrix(1, 0, 0, 0).value(ClassificationMetric.AUC))
                .isInstanceOf(InvalidInputException.class);
    }
}
