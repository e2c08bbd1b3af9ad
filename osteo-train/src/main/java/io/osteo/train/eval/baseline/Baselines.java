package io.osteo.train.eval.baseline;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.metrics.ScoredOutcomes;
import io.osteo.api.progress.ProgressListener;
import io.osteo.radiomics.glcm.GlcmSettings;
import io.osteo.train.eval.MethodRun;
import io.osteo.train.eval.VertebraPrediction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The one-number and classical baselines of the reproduction study, computed on the same
 * train/validation/test vertebrae as the deep rows and returned as {@link MethodRun}s so that
 * they appear in every table beside them:
 * <ul>
 *   <li>{@value #MEAN_HU_2D} / {@value #MEAN_HU_3D}: mean trabecular HU of the axial mid-slice /
 *       the 3D ROI ({@link TrabecularRoi}); score = -mean HU (lower HU = osteoporotic). Nothing is
 *       fitted; the probability is {@code sigmoid((score - cutoff) / sd)} with the validation
 *       Youden cut-off and the training SD of mean HU, so the ranking (AUC) is that of -mean HU.</li>
 *   <li>{@value #GLCM_2D} / {@value #GLCM_3D}: L2 logistic regression on the 24 PyRadiomics GLCM
 *       features + mean and SD HU of the same ROI, standardised on the training split, fitted on
 *       it for every lambda of the grid; the lambda with the highest validation AUC wins (the
 *       larger lambda on ties).</li>
 *   <li>{@value #ORACLE}: the same regression on the generator's latent volumetric BMD
 *       (standardised) + level one-hot + DXA device one-hot (categories of the training split),
 *       a ceiling for synthetic cohorts; only when {@link Builder#latentTruth} is given.</li>
 * </ul>
 * Every fitted row's probability is {@code sigmoid(eta - cutoff)}, eta its linear predictor and
 * the cut-off Youden's J on validation, so that probability 0.5 is the operating point chosen on
 * validation (the evaluator's default threshold). No BMD is predicted. Deterministic (no
 * randomness); seed {@link #SEED} in the runs. Immutable and thread-safe.
 */
public final class Baselines {

    public static final String MEAN_HU_2D = "mean HU 2D";
    public static final String MEAN_HU_3D = "mean HU 3D";
    public static final String GLCM_2D = "GLCM+HU logistic 2D";
    public static final String GLCM_3D = "GLCM+HU logistic 3D";
    public static final String ORACLE = "oracle (latent vBMD+level+device)";
    /** The seed of every baseline run (they are deterministic). */
    public static final long SEED = 0;

    private final TrabecularRoi roi;
    private final GlcmSettings glcm;
    private final double[] lambdas;
    private final LatentTruth latent;
    private final boolean meanHu;
    private final boolean glcmRows;
    private final ProgressListener progress;
    private final int threads;

    private Baselines(Builder b) {
        this.threads = b.threads;
        this.roi = b.roi;
        this.glcm = b.glcm;
        this.lambdas = b.lambdas.clone();
        this.latent = b.latent;
        this.meanHu = b.meanHu;
        this.glcmRows = b.glcmRows;
        this.progress = b.progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The baseline rows' test predictions (see {@link #fit}). */
    public List<MethodRun> runs(List<BaselineVertebra> train, List<BaselineVertebra> valid, List<BaselineVertebra> test) {
        return fit(train, valid, test).runs();
    }

    /**
     * Fits every configured baseline on {@code train}, chooses on {@code valid} and predicts {@code test}.
     *
     * @throws InvalidInputException if a split is empty, train or validation lacks a class, or the
     *     oracle's latent truth lacks a vertebra
     */
    public BaselineResult fit(List<BaselineVertebra> train, List<BaselineVertebra> valid, List<BaselineVertebra> test) {
        requireSplit(train, "training", true);
        requireSplit(valid, "validation", true);
        requireSplit(test, "test", false);
        List<MethodRun> runs = new ArrayList<>();
        List<BaselineFit> fits = new ArrayList<>();
        if (meanHu || glcmRows) {
            int total = train.size() + valid.size() + test.size();
            progress.started("baseline features", total);
            java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
            Function<List<BaselineVertebra>, List<BaselineFeatures>> features = list -> {
                BaselineFeatures[] out = new BaselineFeatures[list.size()];
                Runnable work = () -> java.util.stream.IntStream.range(0, list.size()).parallel().forEach(i -> {
                    out[i] = BaselineFeatures.of(list.get(i), roi, glcm, glcmRows);
                    progress.progressed("baseline features", done.incrementAndGet(), total, list.get(i).unitKey());
                });
                if (threads == 1) {
                    for (int i = 0; i < out.length; i++) {
                        out[i] = BaselineFeatures.of(list.get(i), roi, glcm, glcmRows);
                        progress.progressed("baseline features", done.incrementAndGet(), total, list.get(i).unitKey());
                    }
                } else {
                    java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
                    try {
                        pool.submit(work).join();
                    } finally {
                        pool.shutdown();
                    }
                }
                return List.of(out);
            };
            List<BaselineFeatures> ftr = features.apply(train);
            List<BaselineFeatures> fva = features.apply(valid);
            List<BaselineFeatures> fte = features.apply(test);
            progress.finished("baseline features", total + " vertebrae");
            if (meanHu) {
                meanHuRow(MEAN_HU_2D, f -> f.slice2d().meanHu(), ftr, fva, fte, train, valid, test, runs, fits);
                meanHuRow(MEAN_HU_3D, f -> f.volume3d().meanHu(), ftr, fva, fte, train, valid, test, runs, fits);
            }
            if (glcmRows) {
                logisticRow(GLCM_2D, RoiFeatures.glcmAndHuNames(), rows(ftr, f -> f.slice2d().glcmAndHu()),
                        rows(fva, f -> f.slice2d().glcmAndHu()), rows(fte, f -> f.slice2d().glcmAndHu()), train, valid,
                        test, runs, fits);
                logisticRow(GLCM_3D, RoiFeatures.glcmAndHuNames(), rows(ftr, f -> f.volume3d().glcmAndHu()),
                        rows(fva, f -> f.volume3d().glcmAndHu()), rows(fte, f -> f.volume3d().glcmAndHu()), train, valid,
                        test, runs, fits);
            }
        }
        if (latent != null) {
            List<VertebraLevel> levels = List.copyOf(new TreeSet<>(train.stream().map(BaselineVertebra::level).toList()));
            List<DxaDevice> devices = List.copyOf(new TreeSet<>(train.stream().map(BaselineVertebra::device).toList()));
            List<String> names = new ArrayList<>(List.of("vbmd_mg_cm3"));
            levels.forEach(l -> names.add("level=" + l));
            devices.forEach(d -> names.add("device=" + d));
            Function<List<BaselineVertebra>, double[][]> oracle = list -> {
                double[][] x = new double[list.size()][];
                for (int i = 0; i < x.length; i++) {
                    BaselineVertebra v = list.get(i);
                    double[] row = new double[1 + levels.size() + devices.size()];
                    row[0] = latent.row(v.patientId(), v.level()).vbmdMgCm3();
                    int l = levels.indexOf(v.level());
                    if (l >= 0) row[1 + l] = 1;
                    int d = devices.indexOf(v.device());
                    if (d >= 0) row[1 + levels.size() + d] = 1;
                    x[i] = row;
                }
                return x;
            };
            logisticRow(ORACLE, names, oracle.apply(train), oracle.apply(valid), oracle.apply(test), train, valid, test,
                    runs, fits);
        }
        return new BaselineResult(runs, fits);
    }

    private void meanHuRow(String name, java.util.function.ToDoubleFunction<BaselineFeatures> hu,
            List<BaselineFeatures> ftr, List<BaselineFeatures> fva, List<BaselineFeatures> fte, List<BaselineVertebra> train,
            List<BaselineVertebra> valid, List<BaselineVertebra> test, List<MethodRun> runs, List<BaselineFit> fits) {
        double[] trainScore = ftr.stream().mapToDouble(f -> -hu.applyAsDouble(f)).toArray();
        double sd = Standardizer.fit(column(trainScore)).sd()[0];
        double scale = sd > 0 ? sd : 1;
        double[] validScore = fva.stream().mapToDouble(f -> -hu.applyAsDouble(f)).toArray();
        double cutoff = OperatingPoint.youden(validScore, labels(valid));
        double[] testScore = fte.stream().mapToDouble(f -> -hu.applyAsDouble(f)).toArray();
        runs.add(run(name, test, i -> LogisticRegression.sigmoid((testScore[i] - cutoff) / scale)));
        fits.add(new BaselineFit(name, List.of(name.endsWith("2D") ? "-meanHU (mid-slice)" : "-meanHU (3D ROI)"),
                OptionalDouble.empty(), List.of(), auc(validScore, labels(valid)), cutoff));
    }

    private void logisticRow(String name, List<String> featureNames, double[][] xtr, double[][] xva, double[][] xte,
            List<BaselineVertebra> train, List<BaselineVertebra> valid, List<BaselineVertebra> test, List<MethodRun> runs,
            List<BaselineFit> fits) {
        Standardizer scaler = Standardizer.fit(xtr);
        double[][] ztr = scaler.apply(xtr);
        double[][] zva = scaler.apply(xva);
        double[][] zte = scaler.apply(xte);
        boolean[] ytr = labels(train);
        boolean[] yva = labels(valid);
        LogisticRegression best = null;
        double bestAuc = Double.NEGATIVE_INFINITY;
        List<double[]> byLambda = new ArrayList<>();
        // largest lambda first, replaced only by a strictly better AUC: ties go to the simpler model
        double[] grid = lambdas.clone();
        Arrays.sort(grid);
        double[] aucs = new double[grid.length];
        for (int k = grid.length - 1; k >= 0; k--) {
            LogisticRegression m = LogisticRegression.fit(ztr, ytr, grid[k]);
            double a = auc(linear(m, zva), yva);
            aucs[k] = a;
            if (a > bestAuc) {
                bestAuc = a;
                best = m;
            }
        }
        for (int k = 0; k < grid.length; k++) byLambda.add(new double[] {grid[k], aucs[k]});
        LogisticRegression model = Objects.requireNonNull(best);
        double cutoff = OperatingPoint.youden(linear(model, zva), yva);
        double[] eta = linear(model, zte);
        runs.add(run(name, test, i -> LogisticRegression.sigmoid(eta[i] - cutoff)));
        fits.add(new BaselineFit(name, featureNames, OptionalDouble.of(model.lambda()), byLambda, bestAuc, cutoff));
    }

    private static MethodRun run(String name, List<BaselineVertebra> test, java.util.function.IntToDoubleFunction p) {
        List<VertebraPrediction> out = new ArrayList<>(test.size());
        for (int i = 0; i < test.size(); i++) {
            BaselineVertebra v = test.get(i);
            out.add(new VertebraPrediction(v.patientId(), v.site(), v.level(), v.device(), v.positive(), p.applyAsDouble(i),
                    OptionalDouble.empty(), Double.isFinite(v.bmdGcm2()) ? OptionalDouble.of(v.bmdGcm2()) : OptionalDouble.empty()));
        }
        return new MethodRun(name, SEED, out);
    }

    private static double[] linear(LogisticRegression m, double[][] z) {
        double[] eta = new double[z.length];
        for (int i = 0; i < z.length; i++) eta[i] = m.linearPredictor(z[i]);
        return eta;
    }

    private static double auc(double[] scores, boolean[] labels) {
        return ScoredOutcomes.of(labels, scores).auc().orElseThrow();
    }

    private static double[][] rows(List<BaselineFeatures> f, Function<BaselineFeatures, double[]> row) {
        return f.stream().map(row).toArray(double[][]::new);
    }

    private static double[][] column(double[] v) {
        double[][] out = new double[v.length][];
        for (int i = 0; i < v.length; i++) out[i] = new double[] {v[i]};
        return out;
    }

    private static boolean[] labels(List<BaselineVertebra> list) {
        boolean[] y = new boolean[list.size()];
        for (int i = 0; i < y.length; i++) y[i] = list.get(i).positive();
        return y;
    }

    private static void requireSplit(List<BaselineVertebra> list, String name, boolean bothClasses) {
        if (list == null || list.isEmpty()) {
            throw new InvalidInputException("baselines need a non-empty " + name + " split");
        }
        if (bothClasses) {
            long pos = list.stream().filter(BaselineVertebra::positive).count();
            if (pos == 0 || pos == list.size()) {
                throw new InvalidInputException("baselines: the " + name + " split has " + pos + " positive of "
                        + list.size() + " vertebrae; fitting and choosing need both classes");
            }
        }
    }

    /**
     * Configures {@link Baselines}. Defaults: {@link TrabecularRoi#DEFAULT}, PyRadiomics' GLCM
     * defaults (bin width 25 HU, distance 1, symmetric), lambda grid {1e-4, 1e-3, 0.01, 0.1, 1, 10},
     * mean-HU and GLCM rows on, no oracle, one thread. Not thread-safe.
     */
    public static final class Builder {
        private TrabecularRoi roi = TrabecularRoi.DEFAULT;
        private GlcmSettings glcm = GlcmSettings.DEFAULTS;
        private double[] lambdas = {1e-4, 1e-3, 1e-2, 1e-1, 1, 10};
        private LatentTruth latent;
        private boolean meanHu = true;
        private boolean glcmRows = true;
        private ProgressListener progress = ProgressListener.NONE;
        private int threads = 1;

        private Builder() {}

        /** Threads for the feature extraction (default 1); results do not depend on it. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new InvalidInputException("baselines need at least one thread, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        public Builder roi(TrabecularRoi roi) {
            this.roi = Objects.requireNonNull(roi, "roi");
            return this;
        }

        /** GLCM settings of the 3D ROI; the 2D rows use the same with force2D in-plane. */
        public Builder glcm(GlcmSettings settings) {
            this.glcm = Objects.requireNonNull(settings, "glcm settings");
            return this;
        }

        /** The L2 strengths tried (each > 0; penalised mean log-loss on standardised features). */
        public Builder lambdas(double... lambdas) {
            if (lambdas == null || lambdas.length == 0) {
                throw new InvalidInputException("the lambda grid needs at least one value");
            }
            for (double l : lambdas) {
                if (!(l > 0) || Double.isInfinite(l)) {
                    throw new InvalidInputException("lambda " + l + " of the grid must be finite and > 0");
                }
            }
            this.lambdas = lambdas.clone();
            return this;
        }

        /** Adds the oracle row, reading each vertebra's latent vBMD from this truth. */
        public Builder latentTruth(LatentTruth truth) {
            this.latent = truth;
            return this;
        }

        /** Whether to add the two mean-HU rows (default true). */
        public Builder meanHu(boolean on) {
            this.meanHu = on;
            return this;
        }

        /** Whether to add the two GLCM+HU logistic rows (default true; the slow part). */
        public Builder glcmRows(boolean on) {
            this.glcmRows = on;
            return this;
        }

        public Builder progress(ProgressListener listener) {
            this.progress = Objects.requireNonNull(listener, "progress listener");
            return this;
        }

        public Baselines build() {
            if (!meanHu && !glcmRows && latent == null) {
                throw new InvalidInputException("baselines: every row is switched off (no mean HU, no GLCM, no latent truth)");
            }
            return new Baselines(this);
        }
    }
}
