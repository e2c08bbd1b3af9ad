package io.osteo.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.InvalidInputException;
import org.junit.jupiter.api.Test;

class PairedTTestTest {

    @Test
    void handComputedExample() {
        // d = a - b = [1, 0, 2, 2]; mean 1.25; sample variance (0.0625+1.5625+0.5625+0.5625)/3 = 2.75/3
        // t = 1.25 / sqrt(2.75/3/4) = 2.61116...; df = 3
        // Student t with 3 df has the closed-form CDF
        //   F(t) = 1/2 + (1/pi) (t/(sqrt3 (1 + t^2/3)) + atan(t/sqrt3)),  p = 2 (1 - F(|t|))
        PairedTTest.Result r = PairedTTest.test(new double[] {1, 2, 3, 4}, new double[] {0, 2, 1, 2});
        double t = 1.25 / Math.sqrt(2.75 / 3 / 4);
        double cdf = 0.5 + (t / (Math.sqrt(3) * (1 + t * t / 3)) + Math.atan(t / Math.sqrt(3))) / Math.PI;
        assertThat(r.n()).isEqualTo(4);
        assertThat(r.meanDifference()).isCloseTo(1.25, within(1e-12));
        assertThat(r.t().getAsDouble()).isCloseTo(t, within(1e-9));
        assertThat(r.pValue().getAsDouble()).isCloseTo(2 * (1 - cdf), within(1e-9));
        assertThat(r.pValue().getAsDouble()).isCloseTo(0.0796, within(0.001));
    }

    @Test
    void symmetricAndUndefinedForConstantDifferences() {
        double[] a = {0.3, 0.5, 0.9, 0.1};
        double[] b = {0.2, 0.7, 0.4, 0.3};
        assertThat(PairedTTest.test(a, b).pValue()).isEqualTo(PairedTTest.test(b, a).pValue());
        PairedTTest.Result same = PairedTTest.test(a, a);
        assertThat(same.t()).isEmpty();
        assertThat(same.pValue()).isEmpty();
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> PairedTTest.test(new double[] {1}, new double[] {2}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("at least 2 pairs");
        assertThatThrownBy(() -> PairedTTest.test(new double[] {1, 2}, new double[] {2}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("same length");
        assertThatThrownBy(() -> PairedTTest.test(new double[] {1, Double.NaN}, new double[] {2, 3}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not finite");
    }
}
