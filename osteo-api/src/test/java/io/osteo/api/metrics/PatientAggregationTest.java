package io.osteo.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PatientAggregationTest {

    @Test
    void anyPositiveTakesTheMaximumScore() {
        // P1: L1 positive at 0.3, L2 negative at 0.8 -> patient positive, score 0.8 (predicted positive
        //     at 0.5 because L2 is, although L2 is truly negative: any-positive is about the patient)
        // P2: both negative, 0.2 and 0.6 -> negative, 0.6
        // P3: one positive vertebra at 0.4 -> positive, 0.4
        List<PatientScore> patients = PatientAggregation.anyPositive(List.of(
                new VertebraScore("P1", true, 0.3), new VertebraScore("P2", false, 0.2),
                new VertebraScore("P1", false, 0.8), new VertebraScore("P3", true, 0.4),
                new VertebraScore("P2", false, 0.6)));
        assertThat(patients).containsExactly(new PatientScore("P1", true, 0.8, 2),
                new PatientScore("P2", false, 0.6, 2), new PatientScore("P3", true, 0.4, 1));
        // threshold 0.5: P1 TP, P2 FP, P3 FN
        assertThat(PatientAggregation.outcomes(patients).confusionAt(0.5)).isEqualTo(new ConfusionMatrix(1, 1, 0, 1));
    }
}
