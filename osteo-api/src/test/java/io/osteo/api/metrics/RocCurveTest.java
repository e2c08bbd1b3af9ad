package io.osteo.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.InvalidInputException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RocCurveTest {

    @Test
    void handComputedCurveAndAuc() {
        // Same data as ConfusionMatrixTest: 3 positives, 5 negatives, one tie at 0.4.
        // Points (FPR, TPR) by descending distinct threshold:
        //   +inf (0,0); 0.9 (0,1/3); 0.7 (0.2,1/3); 0.6 (0.2,2/3); 0.4 (0.4,1) <- tie: one diagonal step
        //   0.3 (0.6,1); 0.2 (0.8,1); 0.1 (1,1)
        // Trapezoids: 0.2*1/3 + 0.2*(2/3+1)/2 + 0.6*1 = 0.0667 + 0.1667 + 0.6 = 0.8333
        // Mann-Whitney: 0.9 beats 5, 0.6 beats 4, 0.4 beats 3 and ties 1 -> (5+4+3.5)/15 = 12.5/15
        RocCurve roc = RocCurve.of(ConfusionMatrixTest.LABELS, ConfusionMatrixTest.SCORES);
        List<RocPoint> p = roc.points();
        assertThat(p).hasSize(8);
        assertThat(p.get(0)).isEqualTo(new RocPoint(Double.POSITIVE_INFINITY, 0, 0));
        assertThat(p.get(1).threshold()).isEqualTo(0.9);
        assertThat(p.get(1).truePositiveRate()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(p.get(4).threshold()).isEqualTo(0.4);
        assertThat(p.get(4).falsePositiveRate()).isCloseTo(0.4, within(1e-12));
        assertThat(p.get(4).truePositiveRate()).isEqualTo(1.0);
        assertThat(p.get(7)).isEqualTo(new RocPoint(0.1, 1, 1));
        assertThat(roc.auc()).isCloseTo(12.5 / 15, within(1e-12));
    }

    @Test
    void eachPointMatchesTheConfusionMatrixAtItsThreshold() {
        RocCurve roc = RocCurve.of(ConfusionMatrixTest.LABELS, ConfusionMatrixTest.SCORES);
        for (RocPoint pt : roc.points().subList(1, roc.points().size())) {
            ConfusionMatrix cm = ConfusionMatrix.of(ConfusionMatrixTest.LABELS, ConfusionMatrixTest.SCORES, pt.threshold());
            assertThat(pt.truePositiveRate()).isCloseTo(cm.sensitivity().getAsDouble(), within(1e-12));
            assertThat(pt.falsePositiveRate()).isCloseTo(1 - cm.specificity().getAsDouble(), within(1e-12));
        }
    }

    @Test
    void perfectReversedAndTiedScores() {
        boolean[] labels = {false, false, true, true};
        assertThat(RocCurve.of(labels, new double[] {0.1, 0.2, 0.8, 0.9}).auc()).isEqualTo(1.0);
        assertThat(RocCurve.of(labels, new double[] {0.9, 0.8, 0.2, 0.1}).auc()).isEqualTo(0.0);
        RocCurve tied = RocCurve.of(labels, new double[] {0.5, 0.5, 0.5, 0.5});
        assertThat(tied.auc()).isEqualTo(0.5);
        assertThat(tied.points()).hasSize(2); // origin, then one diagonal step to (1,1)
    }

    @Test
    void trapezoidEqualsMannWhitneyWithHeavyTies() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 50; trial++) {
            int n = 2 + random.nextInt(60);
            boolean[] labels = new boolean[n];
            double[] scores = new double[n];
            labels[0] = true; // both classes present: unit 0 positive, unit 1 negative
            for (int i = 2; i < n; i++) labels[i] = random.nextBoolean();
            for (int i = 0; i < n; i++) scores[i] = random.nextInt(5) / 4.0; // many ties
            assertThat(RocCurve.of(labels, scores).auc()).isCloseTo(pairwise(labels, scores), within(1e-12));
        }
    }

    @Test
    void uninformativeScoresGiveAboutOneHalf() {
        SplittableRandom random = new SplittableRandom(11);
        int n = 20000;
        boolean[] labels = new boolean[n];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextDouble() < 0.3;
            scores[i] = random.nextDouble();
        }
        // SE of AUC here ~ sqrt((1/n+ + 1/n-)/12) ~ 0.0045
        assertThat(RocCurve.of(labels, scores).auc()).isCloseTo(0.5, within(0.02));
    }

    @Test
    void singleClassIsRejectedAndAucIsEmpty() {
        boolean[] labels = {true, true};
        double[] scores = {0.1, 0.2};
        assertThatThrownBy(() -> RocCurve.of(labels, scores)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("2 positive and 0 negative");
        assertThat(ScoredOutcomes.of(labels, scores).auc()).isEmpty();
    }

    /** Reference AUC: the probability that a random positive outscores a random negative, ties 1/2. */
    private static double pairwise(boolean[] labels, double[] scores) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < labels.length; j++) {
                if (labels[i] && !labels[j]) {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        return wins / pairs;
    }
}
