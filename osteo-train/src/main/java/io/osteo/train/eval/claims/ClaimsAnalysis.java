package io.osteo.train.eval.claims;

import io.osteo.api.InvalidInputException;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.metrics.Bootstrap;
import io.osteo.api.metrics.ConfidenceInterval;
import io.osteo.api.metrics.Estimate;
import io.osteo.api.metrics.ScoredOutcomes;
import io.osteo.train.eval.MethodRun;
import io.osteo.train.eval.VertebraPrediction;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/**
 * Judges pre-declared {@link Claim}s on paired differences of vertebra AUC.
 *
 * <p>For each claim and scope (a set of sites): the difference is
 * {@code mean over seeds of AUC(minuend) - mean over seeds of AUC(subtrahend)} on the same test
 * vertebrae. Its interval is a percentile bootstrap that resamples <em>patients</em> (sorted by
 * id; seeded, the same resample for both methods and every seed, so the difference is paired) and
 * recomputes both seed-averaged AUCs on the resampled vertebrae.
 *
 * <p>Rules, applied in this order, with margin {@code m} (default 0.01) on the 95 % interval
 * {@code [lo, hi]}:
 * <ol>
 *   <li><b>refuted</b> if {@code -m <= lo && hi <= m} (the whole interval inside the margin: any
 *       effect is smaller than the pre-declared relevant size, even when the interval is above 0)
 *       or {@code hi < 0} (the interval below 0);</li>
 *   <li><b>supported</b> if {@code lo > 0}, and, for claims that require it, the minuend's
 *       per-device mean gate weights differ ({@link GateCheck}: largest pairwise total-variation
 *       distance between devices' mean gate distributions {@code >= gateThreshold} (up to 1e-9 of
 *       rounding), default 0.05, over at least two devices);</li>
 *   <li><b>inconclusive</b> otherwise: the interval straddles 0 or a margin end, the interval is
 *       undefined, or the AUC is better but the gates do not differ (or no gate weights were given).</li>
 * </ol>
 * Immutable and thread-safe.
 */
public final class ClaimsAnalysis {

    private final Bootstrap bootstrap;
    private final double margin;
    private final double gateThreshold;
    private final Map<String, Set<String>> scopes;
    private final List<DeviceGateWeights> gateWeights;

    private ClaimsAnalysis(Builder b) {
        this.bootstrap = b.bootstrap;
        this.margin = b.margin;
        this.gateThreshold = b.gateThreshold;
        this.scopes = new LinkedHashMap<>(b.scopes);
        this.gateWeights = combine(b.gateWeights);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Judges every claim on every scope.
     *
     * @param runs method runs (several seeds per method); each claim's two methods must predict the
     *     same vertebrae with the same labels in each scope
     * @throws InvalidInputException if a claim names a method without runs, a scope has no vertebrae
     *     of a method, or the two methods' vertebrae differ
     */
    public ClaimsReport analyse(List<MethodRun> runs, List<Claim> claims) {
        if (claims == null || claims.isEmpty()) {
            throw new InvalidInputException("claims analysis needs at least one claim");
        }
        if (scopes.isEmpty()) {
            throw new InvalidInputException("claims analysis needs at least one scope (e.g. internal test = sites A, B, C)");
        }
        Map<String, List<MethodRun>> byMethod = new LinkedHashMap<>();
        for (MethodRun r : runs) byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
        List<ClaimResult> results = new ArrayList<>();
        for (Claim claim : claims) {
            List<MethodRun> a = methodRuns(byMethod, claim.minuendMethod(), claim);
            List<MethodRun> b = methodRuns(byMethod, claim.subtrahendMethod(), claim);
            Optional<GateCheck> gates = claim.requiresDeviceGates() ? gateCheck(claim.minuendMethod()) : Optional.empty();
            for (Map.Entry<String, Set<String>> scope : scopes.entrySet()) {
                results.add(judge(claim, scope.getKey(), scope.getValue(), a, b, gates));
            }
        }
        return new ClaimsReport(results, bootstrap.replicates(), bootstrap.seed(), bootstrap.level(), margin, gateThreshold,
                gateWeights);
    }

    /** The verdict of the rules for an interval (and, when the claim needs it, a gate check). */
    public Verdict verdict(Optional<ConfidenceInterval> interval, boolean requiresGates, Optional<GateCheck> gates) {
        return decide(interval, requiresGates, gates).verdict;
    }

    private record Decision(Verdict verdict, String reason) {}

    private Decision decide(Optional<ConfidenceInterval> interval, boolean requiresGates, Optional<GateCheck> gates) {
        if (interval.isEmpty()) {
            return new Decision(Verdict.INCONCLUSIVE, "no interval (too few bootstrap replicates define both AUCs)");
        }
        double lo = interval.get().lower();
        double hi = interval.get().upper();
        String m = fmt(margin);
        if (lo >= -margin && hi <= margin) {
            return new Decision(Verdict.REFUTED, "CI inside +/-" + m);
        }
        if (hi < 0) {
            return new Decision(Verdict.REFUTED, "CI below 0");
        }
        if (lo > 0) {
            if (!requiresGates) {
                return new Decision(Verdict.SUPPORTED, "CI above 0");
            }
            if (gates.isEmpty()) {
                return new Decision(Verdict.INCONCLUSIVE, "CI above 0, but no gate weights were given");
            }
            GateCheck g = gates.get();
            return g.differ()
                    ? new Decision(Verdict.SUPPORTED, "CI above 0 and gate weights differ by device (max TV "
                            + fmt(g.maxTotalVariation()) + " >= " + fmt(g.threshold()) + "; " + g.mostDifferentPair() + ")")
                    : new Decision(Verdict.INCONCLUSIVE, "CI above 0, but gate weights do not differ by device (max TV "
                            + fmt(g.maxTotalVariation()) + " < " + fmt(g.threshold())
                            + (g.devices().size() < 2 ? "; fewer than two devices" : "") + ")");
        }
        // here lo <= 0 <= hi and the interval is not inside the margin
        return new Decision(Verdict.INCONCLUSIVE, "CI contains 0 and reaches beyond +/-" + m);
    }

    private ClaimResult judge(Claim claim, String scope, Set<String> sites, List<MethodRun> a, List<MethodRun> b,
            Optional<GateCheck> gates) {
        // vertebrae of the scope, indexed in unit-key order; patients in id order
        Map<String, Integer> index = new TreeMap<>();
        Map<String, Boolean> label = new TreeMap<>();
        for (VertebraPrediction v : a.get(0).predictions()) {
            if (sites.contains(v.site())) label.put(v.unitKey(), v.positive());
        }
        if (label.isEmpty()) {
            throw new InvalidInputException("claim '" + claim.name() + "': method '" + claim.minuendMethod()
                    + "' has no test vertebrae in scope '" + scope + "' (sites " + sites + ")");
        }
        int k = 0;
        for (String key : label.keySet()) index.put(key, k++);
        int n = index.size();
        boolean[] labels = new boolean[n];
        Map<String, List<Integer>> patients = new TreeMap<>();
        for (VertebraPrediction v : a.get(0).predictions()) {
            if (!sites.contains(v.site())) continue;
            int i = index.get(v.unitKey());
            labels[i] = v.positive();
            patients.computeIfAbsent(v.patientId(), p -> new ArrayList<>()).add(i);
        }
        double[][] sa = scores(a, index, labels, sites, claim, scope);
        double[][] sb = scores(b, index, labels, sites, claim, scope);
        List<List<Integer>> clusters = new ArrayList<>(patients.values());
        Estimate e = bootstrap.estimate(clusters, sample -> {
            int m = 0;
            for (List<Integer> c : sample) m += c.size();
            int[] units = new int[m];
            int j = 0;
            for (List<Integer> c : sample) for (int i : c) units[j++] = i;
            OptionalDouble aucA = meanAuc(sa, labels, units);
            OptionalDouble aucB = meanAuc(sb, labels, units);
            OptionalDouble d = aucA.isPresent() && aucB.isPresent() ? OptionalDouble.of(aucA.getAsDouble() - aucB.getAsDouble())
                    : OptionalDouble.empty();
            return List.of(d, aucA, aucB);
        }).get(0);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        OptionalDouble aucA = meanAuc(sa, labels, all);
        OptionalDouble aucB = meanAuc(sb, labels, all);
        if (aucA.isEmpty() || aucB.isEmpty()) {
            throw new InvalidInputException("claim '" + claim.name() + "': scope '" + scope
                    + "' has vertebrae of one class only; the AUC is undefined");
        }
        int positives = 0;
        for (boolean l : labels) positives += l ? 1 : 0;
        Decision d = decide(e.interval(), claim.requiresDeviceGates(), gates);
        return new ClaimResult(claim, scope, n, positives, clusters.size(), a.size(), b.size(), aucA.getAsDouble(),
                aucB.getAsDouble(), aucA.getAsDouble() - aucB.getAsDouble(), e.interval(), gates, d.verdict(), d.reason());
    }

    /** Per seed, the scores indexed like the scope's vertebrae; checks the same vertebrae and labels. */
    private static double[][] scores(List<MethodRun> runs, Map<String, Integer> index, boolean[] labels, Set<String> sites,
            Claim claim, String scope) {
        double[][] out = new double[runs.size()][];
        for (int s = 0; s < runs.size(); s++) {
            MethodRun run = runs.get(s);
            double[] sc = new double[labels.length];
            boolean[] seen = new boolean[labels.length];
            for (VertebraPrediction v : run.predictions()) {
                if (!sites.contains(v.site())) continue;
                Integer i = index.get(v.unitKey());
                if (i == null || seen[i] || v.positive() != labels[i]) {
                    throw new InvalidInputException("claim '" + claim.name() + "', scope '" + scope + "': method '"
                            + run.method() + "' seed " + run.seed() + (i == null ? " predicts vertebra " + v.unitKey()
                                    + " that '" + claim.minuendMethod() + "' does not"
                                    : seen[i] ? " predicts vertebra " + v.unitKey() + " twice"
                                            : " has another label for vertebra " + v.unitKey()));
                }
                seen[i] = true;
                sc[i] = v.probability();
            }
            for (Map.Entry<String, Integer> u : index.entrySet()) {
                if (!seen[u.getValue()]) {
                    throw new InvalidInputException("claim '" + claim.name() + "', scope '" + scope + "': method '"
                            + run.method() + "' seed " + run.seed() + " does not predict vertebra " + u.getKey());
                }
            }
            out[s] = sc;
        }
        return out;
    }

    private static OptionalDouble meanAuc(double[][] scores, boolean[] labels, int[] units) {
        boolean[] y = new boolean[units.length];
        for (int j = 0; j < units.length; j++) y[j] = labels[units[j]];
        double sum = 0;
        for (double[] seed : scores) {
            double[] s = new double[units.length];
            for (int j = 0; j < units.length; j++) s[j] = seed[units[j]];
            OptionalDouble auc = ScoredOutcomes.of(y, s).auc();
            if (auc.isEmpty()) return OptionalDouble.empty();
            sum += auc.getAsDouble();
        }
        return OptionalDouble.of(sum / scores.length);
    }

    private Optional<GateCheck> gateCheck(String method) {
        List<DeviceGateWeights> g = gateWeights.stream().filter(w -> w.method().equals(method)).toList();
        if (g.isEmpty()) {
            return Optional.empty();
        }
        double max = 0;
        String pair = "";
        for (int i = 0; i < g.size(); i++) {
            for (int j = i + 1; j < g.size(); j++) {
                double tv = g.get(i).totalVariation(g.get(j));
                if (tv > max || pair.isEmpty()) {
                    max = Math.max(max, tv);
                    pair = g.get(i).device() + " vs " + g.get(j).device();
                }
            }
        }
        List<String> devices = g.stream().map(w -> w.device().name()).toList();
        return Optional.of(new GateCheck(devices, max, pair, gateThreshold, g.size() >= 2 && max >= gateThreshold - 1e-9));
    }

    /** Merges entries of the same method and device (e.g. one per seed), weighted by vertebrae. */
    private static List<DeviceGateWeights> combine(List<DeviceGateWeights> in) {
        Map<String, Map<DxaDevice, List<DeviceGateWeights>>> groups = new LinkedHashMap<>();
        for (DeviceGateWeights w : in) {
            groups.computeIfAbsent(w.method(), k -> new EnumMap<>(DxaDevice.class))
                    .computeIfAbsent(w.device(), k -> new ArrayList<>()).add(w);
        }
        List<DeviceGateWeights> out = new ArrayList<>();
        groups.forEach((method, byDevice) -> byDevice.forEach((device, list) -> {
            int n = 0;
            double[] m = new double[list.get(0).meanWeights().length];
            for (DeviceGateWeights w : list) {
                double[] a = w.meanWeights();
                if (a.length != m.length) {
                    throw new InvalidInputException("gate weights of method '" + method + "', device " + device
                            + " have " + a.length + " and " + m.length + " experts");
                }
                for (int i = 0; i < m.length; i++) m[i] += a[i] * w.vertebrae();
                n += w.vertebrae();
            }
            for (int i = 0; i < m.length; i++) m[i] /= n;
            out.add(new DeviceGateWeights(method, device, n, m));
        }));
        return out;
    }

    private static List<MethodRun> methodRuns(Map<String, List<MethodRun>> byMethod, String method, Claim claim) {
        List<MethodRun> r = byMethod.get(method);
        if (r == null) {
            throw new InvalidInputException("claim '" + claim.name() + "' needs method '" + method
                    + "', which has no runs (methods: " + byMethod.keySet() + ")");
        }
        return r;
    }

    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.3g", v);
    }

    /**
     * Configures a {@link ClaimsAnalysis}. Defaults: 1000-replicate 95 % bootstrap with seed
     * 20250923, margin 0.01, gate threshold 0.05, no scopes (add at least one), no gate weights.
     * Not thread-safe.
     */
    public static final class Builder {
        private Bootstrap bootstrap = Bootstrap.builder().build();
        private double margin = 0.01;
        private double gateThreshold = 0.05;
        private final Map<String, Set<String>> scopes = new LinkedHashMap<>();
        private final List<DeviceGateWeights> gateWeights = new ArrayList<>();

        private Builder() {}

        public Builder bootstrap(Bootstrap bootstrap) {
            this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
            return this;
        }

        /** Refutation margin on the AUC difference, >= 0 (default 0.01). */
        public Builder margin(double margin) {
            if (!(margin >= 0) || Double.isInfinite(margin)) {
                throw new InvalidInputException("refutation margin must be finite and >= 0, got " + margin);
            }
            this.margin = margin;
            return this;
        }

        /** Total-variation distance at or above which gate weights "differ by device" (default 0.05). */
        public Builder gateThreshold(double threshold) {
            if (!(threshold > 0 && threshold <= 1)) {
                throw new InvalidInputException("gate threshold must be in (0, 1], got " + threshold);
            }
            this.gateThreshold = threshold;
            return this;
        }

        /** Adds a scope: the test vertebrae of these sites ("internal test" = {A, B, C}). */
        public Builder scope(String name, Set<String> sites) {
            if (name == null || name.isBlank() || sites == null || sites.isEmpty() || scopes.containsKey(name)) {
                throw new InvalidInputException("claims scope needs a new non-blank name and at least one site, got '"
                        + name + "' with sites " + sites);
            }
            scopes.put(name, Set.copyOf(sites));
            return this;
        }

        /** Per-device mean gate weights (several entries per method and device are merged by vertebra count). */
        public Builder gateWeights(List<DeviceGateWeights> weights) {
            this.gateWeights.addAll(weights);
            return this;
        }

        public ClaimsAnalysis build() {
            return new ClaimsAnalysis(this);
        }
    }
}
