package io.osteo.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    private static OptionalDouble mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average();
    }

    private static List<Double> normalSample(int n, long seed) {
        Random r = new Random(seed);
        List<Double> xs = new ArrayList<>();
        for (int i = 0; i < n; i++) xs.add(r.nextGaussian());
        return xs;
    }

    @Test
    void sameSeedSameIntervalOtherSeedOtherInterval() {
        List<Double> xs = normalSample(200, 1);
        Estimate a = Bootstrap.builder().seed(5).replicates(500).build().estimateOne(xs, BootstrapTest::mean);
        Estimate b = Bootstrap.builder().seed(5).replicates(500).build().estimateOne(xs, BootstrapTest::mean);
        Estimate c = Bootstrap.builder().seed(6).replicates(500).build().estimateOne(xs, BootstrapTest::mean);
        assertThat(a).isEqualTo(b);
        assertThat(a.interval().get().lower()).isNotEqualTo(c.interval().get().lower());
    }

    @Test
    void intervalOfAMeanHasTheTextbookWidth() {
        // N(0,1), n = 400: 95 % CI of the mean ~ +-1.96/sqrt(400) = +-0.098
        List<Double> xs = normalSample(400, 2);
        Estimate e = Bootstrap.builder().seed(1).replicates(2000).build().estimateOne(xs, BootstrapTest::mean);
        ConfidenceInterval ci = e.interval().orElseThrow();
        assertThat(ci.upper() - ci.lower()).isCloseTo(0.196, within(0.03));
        assertThat(e.value().getAsDouble()).isBetween(ci.lower(), ci.upper());
        assertThat(ci.replicates()).isEqualTo(2000);
        assertThat(ci.undefinedReplicates()).isZero();
    }

    @Test
    void resamplingPatientsWidensTheIntervalOfCorrelatedVertebrae() {
        // 100 patients with 4 identical vertebrae each: 100 independent values, not 400.
        List<Double> perPatient = normalSample(100, 3);
        List<List<Double>> clusters = new ArrayList<>();
        List<Double> flat = new ArrayList<>();
        for (double v : perPatient) {
            clusters.add(Collections.nCopies(4, v));
            flat.addAll(Collections.nCopies(4, v));
        }
        Bootstrap b = Bootstrap.builder().seed(3).replicates(2000).build();
        ConfidenceInterval byPatient = b.estimateOne(clusters,
                cs -> mean(cs.stream().flatMap(List::stream).toList())).interval().orElseThrow();
        ConfidenceInterval byVertebra = b.estimateOne(flat, BootstrapTest::mean).interval().orElseThrow();
        double ratio = (byPatient.upper() - byPatient.lower()) / (byVertebra.upper() - byVertebra.lower());
        assertThat(ratio).isCloseTo(2.0, within(0.3)); // sqrt(4)
    }

    @Test
    void undefinedStatisticsAreCountedNotAveraged() {
        // 1 positive among 30: about (29/30)^30 = 36 % of resamples contain no positive -> SEN undefined
        boolean[] labels = new boolean[30];
        labels[0] = true;
        List<Integer> units = new ArrayList<>();
        for (int i = 0; i < 30; i++) units.add(i);
        Estimate sen = Bootstrap.builder().seed(9).replicates(1000).build().estimateOne(units, idx -> {
            long pos = idx.stream().filter(i -> labels[i]).count();
            return pos == 0 ? OptionalDouble.empty() : OptionalDouble.of(1.0);
        });
        ConfidenceInterval ci = sen.interval().orElseThrow();
        assertThat(ci.undefinedReplicates()).isBetween(300, 430);
        assertThat(ci.replicates() + ci.undefinedReplicates()).isEqualTo(1000);

        // never defined -> no value, no interval, formatted as n/a
        Estimate never = Bootstrap.builder().build().estimateOne(units, idx -> OptionalDouble.empty());
        assertThat(never.value()).isEmpty();
        assertThat(never.interval()).isEmpty();
        assertThat(never.format(3)).isEqualTo("n/a");
    }
}
