package io.osteo.api.metrics;

import io.osteo.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * Seeded nonparametric bootstrap with percentile intervals, resampling <em>clusters</em> with
 * replacement. Resample the independent units: patients, not vertebrae, because the vertebrae of
 * one patient are correlated (resampling them independently gives intervals that are too narrow).
 * Pass one cluster per patient for both vertebra- and patient-level metrics.
 *
 * <p>The statistic may be undefined in a replicate (a resample with no positive patient has no
 * sensitivity); such replicates are counted, not used. If fewer than half of the replicates define
 * a statistic, its interval is empty. Same seed and input, same intervals. Immutable and
 * thread-safe (each call creates its own generator).
 */
public final class Bootstrap {

    private final int replicates;
    private final double level;
    private final long seed;

    private Bootstrap(Builder b) {
        this.replicates = b.replicates;
        this.level = b.level;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int replicates() {
        return replicates;
    }

    public double level() {
        return level;
    }

    public long seed() {
        return seed;
    }

    /**
     * Estimates a vector of statistics on the data and their percentile intervals.
     *
     * @param clusters the independent units (e.g. one list of vertebrae per patient)
     * @param statistic maps a (resampled) list of clusters to k statistics, the same k every call
     * @return k estimates
     */
    public <C> List<Estimate> estimate(List<C> clusters, Function<List<C>, List<OptionalDouble>> statistic) {
        if (clusters.isEmpty()) {
            throw new InvalidInputException("bootstrap needs at least one cluster, got none");
        }
        List<OptionalDouble> point = statistic.apply(clusters);
        int k = point.size();
        double[][] values = new double[k][replicates];
        int[] defined = new int[k];
        RandomGenerator random = new Well19937c(seed);
        int n = clusters.size();
        List<C> sample = new ArrayList<>(n);
        for (int r = 0; r < replicates; r++) {
            sample.clear();
            for (int i = 0; i < n; i++) {
                sample.add(clusters.get(random.nextInt(n)));
            }
            List<OptionalDouble> stats = statistic.apply(sample);
            if (stats.size() != k) {
                throw new IllegalStateException("statistic returned " + stats.size() + " values, expected " + k);
            }
            for (int j = 0; j < k; j++) {
                OptionalDouble s = stats.get(j);
                if (s.isPresent()) {
                    values[j][defined[j]++] = s.getAsDouble();
                }
            }
        }
        List<Estimate> out = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            Optional<ConfidenceInterval> ci = Optional.empty();
            if (defined[j] * 2 >= replicates && defined[j] > 0) {
                Percentile p = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
                p.setData(values[j], 0, defined[j]);
                double alpha = (1 - level) / 2;
                ci = Optional.of(new ConfidenceInterval(p.evaluate(100 * alpha), p.evaluate(100 * (1 - alpha)), level,
                        defined[j], replicates - defined[j]));
            }
            out.add(new Estimate(point.get(j), ci));
        }
        return out;
    }

    /** Single-statistic form of {@link #estimate(List, Function)}. */
    public <C> Estimate estimateOne(List<C> clusters, Function<List<C>, OptionalDouble> statistic) {
        return estimate(clusters, c -> List.of(statistic.apply(c))).get(0);
    }

    /** Configures a {@link Bootstrap}; defaults: 1000 replicates, 95 %, seed 20250923. */
    public static final class Builder {
        private int replicates = 1000;
        private double level = 0.95;
        private long seed = 20250923L;

        private Builder() {}

        public Builder replicates(int replicates) {
            if (replicates < 10) {
                throw new InvalidInputException("bootstrap replicates must be >= 10, got " + replicates);
            }
            this.replicates = replicates;
            return this;
        }

        /** Coverage in (0, 1), e.g. 0.95. */
        public Builder level(double level) {
            if (!(level > 0 && level < 1)) {
                throw new InvalidInputException("confidence level must be in (0, 1), got " + level);
            }
            this.level = level;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Bootstrap build() {
            return new Bootstrap(this);
        }
    }
}
