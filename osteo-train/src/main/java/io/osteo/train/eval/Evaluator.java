package io.osteo.train.eval;

import io.osteo.api.InvalidInputException;
import io.osteo.api.metrics.Bootstrap;
import io.osteo.api.metrics.ClassificationMetric;
import io.osteo.api.metrics.Estimate;
import io.osteo.api.metrics.PairedTTest;
import io.osteo.api.metrics.PatientAggregation;
import io.osteo.api.metrics.RocCurve;
import io.osteo.api.metrics.ScoredOutcomes;
import io.osteo.api.metrics.VertebraScore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Evaluates methods on the same labelled test vertebrae: vertebra- and patient-level (any-positive)
 * ACC/SEN/SPE/F1/PPV/NPV/AUC and BMD MAE, per scope, with percentile bootstrap intervals that
 * resample <em>patients</em>, and paired t-tests of per-unit Brier loss against a reference method.
 *
 * <p>Every method and seed must cover exactly the same vertebrae with the same truth (the paired
 * comparison needs matched units); otherwise an {@link InvalidInputException} names the first
 * vertebra that differs. With several seeds per method, values are means over seeds. The bootstrap
 * uses the same seed and the same patient order for every method, so all methods are resampled
 * identically. Immutable and thread-safe.
 */
public final class Evaluator {

    /** Name of the scope with every prediction. */
    public static final String OVERALL = "overall";

    private static final ClassificationMetric[] METRICS = ClassificationMetric.values();

    private final double threshold;
    private final Map<String, Double> methodThresholds;
    private final Map<String, Double> runThresholds;
    private final Bootstrap bootstrap;
    private final String referenceMethod;
    private final boolean perSite;
    private final Map<String, Set<String>> customScopes;

    private Evaluator(Builder b) {
        this.threshold = b.threshold;
        this.methodThresholds = new LinkedHashMap<>(b.methodThresholds);
        this.runThresholds = new LinkedHashMap<>(b.runThresholds);
        this.bootstrap = b.bootstrap;
        this.referenceMethod = b.referenceMethod;
        this.perSite = b.perSite;
        this.customScopes = new LinkedHashMap<>(b.customScopes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A patient with, for each seed of a method, their vertebrae sorted by level. */
    private record PatientUnits(String patientId, List<List<VertebraPrediction>> perSeed) {}

    /** Evaluates the runs; methods appear in the order of their first run. */
    public EvaluationReport evaluate(List<MethodRun> runs) {
        if (runs == null || runs.isEmpty()) {
            throw new InvalidInputException("evaluation needs at least one method run, got none");
        }
        Map<String, List<MethodRun>> byMethod = new LinkedHashMap<>();
        for (MethodRun run : runs) {
            List<MethodRun> list = byMethod.computeIfAbsent(run.method(), m -> new ArrayList<>());
            if (list.stream().anyMatch(r -> r.seed() == run.seed())) {
                throw new InvalidInputException("method '" + run.method() + "' has two runs with seed " + run.seed());
            }
            list.add(run);
        }
        Map<String, VertebraPrediction> truth = checkMatchedUnits(runs);
        String reference = referenceMethod != null ? referenceMethod : List.copyOf(byMethod.keySet()).get(byMethod.size() - 1);
        if (!byMethod.containsKey(reference)) {
            throw new InvalidInputException("reference method '" + reference + "' is not among the evaluated methods "
                    + byMethod.keySet());
        }

        Map<String, Predicate<VertebraPrediction>> scopes = new LinkedHashMap<>();
        scopes.put(OVERALL, p -> true);
        if (perSite) {
            for (String site : new TreeSet<>(truth.values().stream().map(VertebraPrediction::site).toList())) {
                scopes.put("site " + site, p -> p.site().equals(site));
            }
        }
        customScopes.forEach((name, sites) -> scopes.put(name, p -> sites.contains(p.site())));

        List<MethodScores> rows = new ArrayList<>();
        for (Map.Entry<String, Predicate<VertebraPrediction>> scope : scopes.entrySet()) {
            Map<String, List<PatientUnits>> patientsByMethod = new LinkedHashMap<>();
            for (Map.Entry<String, List<MethodRun>> m : byMethod.entrySet()) {
                patientsByMethod.put(m.getKey(), patients(m.getValue(), scope.getValue()));
            }
            if (patientsByMethod.get(reference).isEmpty()) {
                throw new InvalidInputException("scope '" + scope.getKey() + "' has no vertebrae");
            }
            for (EvaluationLevel level : EvaluationLevel.values()) {
                double[] referenceLoss = unitLosses(patientsByMethod.get(reference), level);
                for (Map.Entry<String, List<MethodRun>> m : byMethod.entrySet()) {
                    rows.add(scoreRow(m.getKey(), m.getValue(), scope.getKey(), level,
                            patientsByMethod.get(m.getKey()), m.getKey().equals(reference) ? null : referenceLoss));
                }
            }
        }
        return new EvaluationReport(List.copyOf(byMethod.keySet()), List.copyOf(scopes.keySet()), reference, threshold,
                bootstrap.replicates(), bootstrap.seed(), bootstrap.level(), rows, usedThresholds(byMethod.keySet()),
                usedRunThresholds(byMethod));
    }

    private MethodScores scoreRow(String method, List<MethodRun> runs, String scope, EvaluationLevel level,
            List<PatientUnits> patients, double[] referenceLoss) {
        int seeds = runs.size();
        double[] cuts = new double[seeds];
        for (int s = 0; s < seeds; s++) cuts[s] = thresholdOf(method, runs.get(s).seed());
        // statistic vector: the metrics, then BMD MAE
        List<Estimate> estimates = bootstrap.estimate(patients, sample -> {
            List<OptionalDouble> out = new ArrayList<>(METRICS.length + 1);
            double[] sums = new double[METRICS.length + 1];
            boolean[] undefined = new boolean[METRICS.length + 1];
            for (int s = 0; s < seeds; s++) {
                OptionalDouble[] v = seedValues(sample, s, level, cuts[s]);
                for (int j = 0; j < v.length; j++) {
                    if (v[j].isPresent()) sums[j] += v[j].getAsDouble(); else undefined[j] = true;
                }
            }
            for (int j = 0; j < sums.length; j++) {
                out.add(undefined[j] ? OptionalDouble.empty() : OptionalDouble.of(sums[j] / seeds));
            }
            return out;
        });
        Map<ClassificationMetric, Estimate> metrics = new LinkedHashMap<>();
        for (int j = 0; j < METRICS.length; j++) {
            metrics.put(METRICS[j], estimates.get(j));
        }
        List<Map<ClassificationMetric, OptionalDouble>> perSeed = new ArrayList<>();
        List<Optional<RocCurve>> rocs = new ArrayList<>();
        ScoredOutcomes first = null;
        for (int s = 0; s < seeds; s++) {
            OptionalDouble[] v = seedValues(patients, s, level, cuts[s]);
            Map<ClassificationMetric, OptionalDouble> m = new LinkedHashMap<>();
            for (int j = 0; j < METRICS.length; j++) m.put(METRICS[j], v[j]);
            perSeed.add(m);
            ScoredOutcomes o = outcomes(patients, s, level);
            first = first == null ? o : first;
            rocs.add(o.hasBothClasses() ? Optional.of(o.roc()) : Optional.empty());
        }
        Optional<PairedTTest.Result> test = Optional.empty();
        if (referenceLoss != null && referenceLoss.length >= 2) {
            test = Optional.of(PairedTTest.test(unitLosses(patients, level), referenceLoss));
        }
        return new MethodScores(method, scope, level, first.size(), first.positives(), metrics, perSeed,
                runs.stream().map(MethodRun::seed).toList(),
                level == EvaluationLevel.VERTEBRA ? estimates.get(METRICS.length) : new Estimate(OptionalDouble.empty(), Optional.empty()),
                test, rocs);
    }

    private double thresholdOf(String method, long seed) {
        Double run = runThresholds.get(method + "#" + seed);
        return run != null ? run : methodThresholds.getOrDefault(method, threshold);
    }

    /** The per-method thresholds of methods that were evaluated, in method order. */
    private Map<String, Double> usedThresholds(Set<String> methods) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String m : methods) {
            if (methodThresholds.containsKey(m)) out.put(m, methodThresholds.get(m));
        }
        return out;
    }

    /** The per-run thresholds of runs that were evaluated, in method order, then by seed. */
    private Map<String, Map<Long, Double>> usedRunThresholds(Map<String, List<MethodRun>> byMethod) {
        Map<String, Map<Long, Double>> out = new LinkedHashMap<>();
        byMethod.forEach((method, runs) -> {
            for (MethodRun run : runs) {
                Double t = runThresholds.get(method + "#" + run.seed());
                if (t != null) out.computeIfAbsent(method, k -> new java.util.TreeMap<>()).put(run.seed(), t);
            }
        });
        return out;
    }

    /** Metric values of one seed on a list of patients, then BMD MAE (vertebra level). */
    private OptionalDouble[] seedValues(List<PatientUnits> patients, int seed, EvaluationLevel level, double threshold) {
        ScoredOutcomes o = outcomes(patients, seed, level);
        Map<ClassificationMetric, OptionalDouble> all = o.allMetrics(threshold);
        OptionalDouble[] v = new OptionalDouble[METRICS.length + 1];
        for (int j = 0; j < METRICS.length; j++) v[j] = all.get(METRICS[j]);
        v[METRICS.length] = level == EvaluationLevel.VERTEBRA ? bmdMae(patients, seed) : OptionalDouble.empty();
        return v;
    }

    private static OptionalDouble bmdMae(List<PatientUnits> patients, int seed) {
        double sum = 0;
        int n = 0;
        for (PatientUnits p : patients) {
            for (VertebraPrediction v : p.perSeed().get(seed)) {
                if (v.predictedBmd().isPresent() && v.trueBmd().isPresent()) {
                    sum += Math.abs(v.predictedBmd().getAsDouble() - v.trueBmd().getAsDouble());
                    n++;
                }
            }
        }
        return n == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / n);
    }

    private static ScoredOutcomes outcomes(List<PatientUnits> patients, int seed, EvaluationLevel level) {
        if (level == EvaluationLevel.PATIENT) {
            List<VertebraScore> scores = new ArrayList<>();
            // resamples may repeat a patient: give each draw its own id so duplicates stay separate patients
            for (int i = 0; i < patients.size(); i++) {
                for (VertebraPrediction v : patients.get(i).perSeed().get(seed)) {
                    scores.add(new VertebraScore(i + ":" + v.patientId(), v.positive(), v.probability()));
                }
            }
            return PatientAggregation.outcomes(PatientAggregation.anyPositive(scores));
        }
        int n = 0;
        for (PatientUnits p : patients) n += p.perSeed().get(seed).size();
        boolean[] labels = new boolean[n];
        double[] scores = new double[n];
        int i = 0;
        for (PatientUnits p : patients) {
            for (VertebraPrediction v : p.perSeed().get(seed)) {
                labels[i] = v.positive();
                scores[i++] = v.probability();
            }
        }
        return ScoredOutcomes.of(labels, scores);
    }

    /** Per-unit Brier loss (label - probability)^2, averaged over seeds, in patient then level order. */
    private static double[] unitLosses(List<PatientUnits> patients, EvaluationLevel level) {
        int seeds = patients.get(0).perSeed().size();
        double[] sum = null;
        for (int s = 0; s < seeds; s++) {
            ScoredOutcomes o = outcomes(patients, s, level);
            if (sum == null) sum = new double[o.size()];
            for (int i = 0; i < o.size(); i++) {
                double d = (o.label(i) ? 1 : 0) - o.score(i);
                sum[i] += d * d / seeds;
            }
        }
        return sum;
    }

    /** Patients in scope sorted by id, each with per-seed vertebrae sorted by level. */
    private static List<PatientUnits> patients(List<MethodRun> runs, Predicate<VertebraPrediction> inScope) {
        Map<String, List<List<VertebraPrediction>>> map = new TreeMap<>();
        for (int s = 0; s < runs.size(); s++) {
            for (VertebraPrediction v : runs.get(s).predictions()) {
                if (!inScope.test(v)) continue;
                List<List<VertebraPrediction>> perSeed = map.computeIfAbsent(v.patientId(), k -> {
                    List<List<VertebraPrediction>> l = new ArrayList<>();
                    for (int i = 0; i < runs.size(); i++) l.add(new ArrayList<>());
                    return l;
                });
                perSeed.get(s).add(v);
            }
        }
        List<PatientUnits> out = new ArrayList<>();
        map.forEach((id, perSeed) -> {
            perSeed.forEach(l -> l.sort(Comparator.comparing(VertebraPrediction::level)));
            out.add(new PatientUnits(id, perSeed));
        });
        return out;
    }

    /** Checks that every run has the same vertebrae with the same truth; returns the first run's by key. */
    private static Map<String, VertebraPrediction> checkMatchedUnits(List<MethodRun> runs) {
        Map<String, VertebraPrediction> truth = null;
        for (MethodRun run : runs) {
            Map<String, VertebraPrediction> units = new HashMap<>();
            Map<String, String> siteOfPatient = new HashMap<>();
            for (VertebraPrediction v : run.predictions()) {
                if (units.put(v.unitKey(), v) != null) {
                    throw new InvalidInputException("method '" + run.method() + "' seed " + run.seed()
                            + " predicts vertebra " + v.unitKey() + " twice");
                }
                String site = siteOfPatient.putIfAbsent(v.patientId(), v.site());
                if (site != null && !site.equals(v.site())) {
                    throw new InvalidInputException("patient " + v.patientId() + " appears at sites " + site + " and "
                            + v.site() + " in method '" + run.method() + "'");
                }
            }
            if (truth == null) {
                truth = units;
                continue;
            }
            Set<String> missing = new LinkedHashSet<>(truth.keySet());
            missing.removeAll(units.keySet());
            Set<String> extra = new LinkedHashSet<>(units.keySet());
            extra.removeAll(truth.keySet());
            if (!missing.isEmpty() || !extra.isEmpty()) {
                throw new InvalidInputException("method '" + run.method() + "' seed " + run.seed()
                        + " does not predict the same vertebrae as '" + runs.get(0).method() + "': "
                        + (missing.isEmpty() ? "extra " + extra.iterator().next() : "missing " + missing.iterator().next()));
            }
            for (VertebraPrediction v : units.values()) {
                VertebraPrediction t = truth.get(v.unitKey());
                if (t.positive() != v.positive() || !t.site().equals(v.site())) {
                    throw new InvalidInputException("method '" + run.method() + "' seed " + run.seed()
                            + " has a different label or site for vertebra " + v.unitKey());
                }
            }
        }
        return truth;
    }

    /** Configures an {@link Evaluator}. Defaults: threshold 0.5, 1000-replicate 95 % bootstrap, per-site scopes. */
    public static final class Builder {
        private double threshold = 0.5;
        private final Map<String, Double> methodThresholds = new LinkedHashMap<>();
        private final Map<String, Double> runThresholds = new LinkedHashMap<>();
        private Bootstrap bootstrap = Bootstrap.builder().build();
        private String referenceMethod;
        private boolean perSite = true;
        private final Map<String, Set<String>> customScopes = new LinkedHashMap<>();

        private Builder() {}

        /** Decision threshold on the probability: positive when probability >= threshold. */
        public Builder threshold(double threshold) {
            if (!(threshold >= 0 && threshold <= 1)) {
                throw new InvalidInputException("decision threshold must be in [0, 1], got " + threshold);
            }
            this.threshold = threshold;
            return this;
        }

        /**
         * A method's own decision threshold (e.g. the operating threshold chosen on validation and
         * stored in its packaged model), overriding {@link #threshold(double)} for that method.
         */
        public Builder threshold(String method, double threshold) {
            if (method == null || method.isBlank() || !(threshold >= 0 && threshold <= 1)) {
                throw new InvalidInputException("per-method threshold needs a method name and a value in [0, 1], got '"
                        + method + "' and " + threshold);
            }
            methodThresholds.put(method, threshold);
            return this;
        }

        /**
         * One run's own decision threshold (a seed's packaged model has the threshold chosen on
         * its validation scores), overriding the method's and the global one for that run.
         */
        public Builder threshold(String method, long seed, double threshold) {
            if (method == null || method.isBlank() || !(threshold >= 0 && threshold <= 1)) {
                throw new InvalidInputException("per-run threshold needs a method name and a value in [0, 1], got '"
                        + method + "' and " + threshold);
            }
            runThresholds.put(method + "#" + seed, threshold);
            return this;
        }

        public Builder bootstrap(Bootstrap bootstrap) {
            this.bootstrap = java.util.Objects.requireNonNull(bootstrap, "bootstrap");
            return this;
        }

        /** The method the others are t-tested against (default: the last method, the proposed one). */
        public Builder referenceMethod(String method) {
            this.referenceMethod = method;
            return this;
        }

        /** Whether to add one scope per site (default true). */
        public Builder perSite(boolean perSite) {
            this.perSite = perSite;
            return this;
        }

        /** Adds a scope made of the given sites, e.g. "internal" = {A, B, C}. */
        public Builder scope(String name, Set<String> sites) {
            if (name == null || name.isBlank() || name.equals(OVERALL) || sites == null || sites.isEmpty()) {
                throw new InvalidInputException("scope needs a new non-blank name and at least one site, got '"
                        + name + "' with sites " + sites);
            }
            customScopes.put(name, Set.copyOf(sites));
            return this;
        }

        public Evaluator build() {
            return new Evaluator(this);
        }
    }
}
