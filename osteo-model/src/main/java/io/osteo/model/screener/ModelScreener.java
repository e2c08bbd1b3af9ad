package io.osteo.model.screener;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import io.osteo.api.OsteoException;
import io.osteo.api.anatomy.Sex;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.dxa.DxaReference;
import io.osteo.api.dxa.YoungAdultReference;
import io.osteo.api.progress.ProgressListener;
import io.osteo.api.screening.AggregationRule;
import io.osteo.api.screening.Decision;
import io.osteo.api.screening.IntendedUse;
import io.osteo.api.screening.ModelSource;
import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.ScreenerConfig;
import io.osteo.api.screening.ScreenerIdentity;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.SkippedVertebra;
import io.osteo.api.screening.Study;
import io.osteo.api.screening.VertebraFinding;
import io.osteo.model.device.DeviceSelection;
import io.osteo.model.packaging.ModelDescriptor;
import io.osteo.model.packaging.ModelPackageException;
import io.osteo.model.packaging.OsteoModel;
import io.osteo.model.packaging.Preprocessing;
import io.osteo.model.packaging.TrainingEnvelope;
import io.osteo.api.volume.ImageGeometry;
import java.util.Locale;
import io.osteo.model.packaging.VertebraPatch;
import io.osteo.model.packaging.VertebraPrediction;
import io.osteo.radiomics.roi.RoiExtraction;
import io.osteo.radiomics.roi.VertebraRoi;
import io.osteo.radiomics.roi.VertebraRoiExtractor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model-backed {@link OsteoScreener}: vertebra ROIs from the study, patches on the model's
 * grid, one batched forward pass per study through a packaged OsteoScreen network, and a report
 * with probabilities, decisions at the operating threshold, BMD in the report device's scale (the
 * network's device embedding is set to that device), T-scores against that device's young-adult
 * reference, the model's level belief and the trabecular HU. Patches are cut and normalised by the
 * descriptor's {@link Preprocessing}, exactly as training saw them. Every input is compared with the
 * descriptor's {@link TrainingEnvelope} (study: voxel size, slice spacing; vertebra: level, patch HU,
 * BMD output), each way it lies outside is listed in the report's {@code outOfDistribution}, and the
 * level check fires only when the model is confident ({@link #levelDisagreement}).
 *
 * <p>Built by {@code OsteoScreener.builder().model(dir)...build()} (through
 * {@link ModelScreenerProvider}). Thread-safe: {@link #screen} may be called from many threads;
 * each forward pass borrows one predictor of a pool of {@code workers} predictors, so results equal
 * the sequential ones. Holds native memory until {@link #close()}.
 */
public final class ModelScreener implements OsteoScreener {

    private static final Logger LOG = LoggerFactory.getLogger(ModelScreener.class);
    /**
     * Areal BMD outside this range (g/cm^2) is not a human lumbar spine value (NHANES means 0.9-1.1,
     * severe osteoporosis ~0.5): the report then notes that the model's BMD is unreliable.
     */
    static final double MIN_PLAUSIBLE_BMD = 0.2;
    static final double MAX_PLAUSIBLE_BMD = 2.5;

    private final AutoCloseable model;
    private final ai.djl.ndarray.NDManager modelManager;
    private final ModelDescriptor descriptor;
    private final Preprocessing input;
    private final VertebraRoiExtractor extractor;
    private final PredictorPool<VertebraPatch, VertebraPrediction> pool;
    private final double threshold;
    private final boolean thresholdFromDescriptor;
    private final AggregationRule aggregation;
    private final DxaDevice reportDevice;
    private final DxaReference references;
    private final int workers;
    private final ProgressListener progress;
    private final ScreenerIdentity identity;
    private volatile boolean closed;

    private ModelScreener(AutoCloseable model, ai.djl.ndarray.NDManager modelManager, ModelDescriptor descriptor,
            Preprocessing input, PredictorPool<VertebraPatch, VertebraPrediction> pool, Device device,
            ScreenerConfig config) {
        this.model = model;
        this.modelManager = modelManager;
        this.descriptor = descriptor;
        this.input = input;
        this.extractor = input.extractor();
        this.pool = pool;
        this.threshold = config.operatingThreshold().orElse(descriptor.operatingThreshold());
        this.thresholdFromDescriptor = config.operatingThreshold().isEmpty();
        this.aggregation = config.aggregation();
        this.reportDevice = config.reportDevice();
        this.references = config.dxaReference();
        this.workers = config.workers();
        this.progress = config.progress();
        String sha = descriptor.paramsSha256();
        this.identity = new ScreenerIdentity("model", descriptor.name(),
                sha == null ? "unversioned (no parameter checksum)" : "sha256:" + sha.substring(0, Math.min(16, sha.length())),
                device.toString());
    }

    /**
     * Loads the model and builds the screener; validates the model before returning.
     *
     * @throws ModelPackageException for a missing, corrupt or unsupported model
     * @throws io.osteo.model.device.DeviceUnavailableException if the device does not exist
     */
    static ModelScreener create(ScreenerConfig config) {
        ModelSource source = config.model().orElseThrow();
        if (source instanceof ModelSource.Directory dir) {
            Path path = dir.path();
            Device device = DeviceSelection.select(config.device());
            OsteoModel model = OsteoModel.load(path, device);
            try {
                Preprocessing input = preprocessing(model.descriptor(), path);
                PredictorPool<VertebraPatch, VertebraPrediction> pool =
                        new PredictorPool<>(model::newPredictor, config.workers());
                return new ModelScreener(model, model.model().getNDManager(), model.descriptor(), input, pool, device,
                        config);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }
        if (source instanceof CriteriaModelSource cs) {
            Path origin = Path.of("criteria:" + cs.descriptor().name());
            Preprocessing input = preprocessing(cs.descriptor(), origin);
            ZooModel<VertebraPatch, VertebraPrediction> zoo;
            try {
                zoo = cs.criteria().loadModel();
            } catch (IOException | ModelNotFoundException | MalformedModelException e) {
                throw new ModelPackageException(origin, "DJL criteria could not load the model: " + e.getMessage(), e);
            }
            try {
                PredictorPool<VertebraPatch, VertebraPrediction> pool =
                        new PredictorPool<>(zoo::newPredictor, config.workers());
                return new ModelScreener(zoo, zoo.getNDManager(), cs.descriptor(), input, pool,
                        zoo.getNDManager().getDevice(), config);
            } catch (RuntimeException e) {
                zoo.close();
                throw e;
            }
        }
        throw new OsteoException("unsupported model source " + source.getClass().getName()
                + " (use a model directory or CriteriaModelSource)");
    }

    private static Preprocessing preprocessing(ModelDescriptor descriptor, Path origin) {
        Preprocessing p = descriptor.preprocessing();
        try {
            p.texturePool(); // validates the texture settings against the channel count
        } catch (OsteoException e) {
            throw new ModelPackageException(origin, "model '" + descriptor.name() + "': " + e.getMessage(), e);
        }
        if (p.input().texturePool() == null && p.input().channels() != 1) {
            throw new ModelPackageException(origin, "model '" + descriptor.name() + "' expects "
                    + p.input().channels() + " input channels but its descriptor has no texture-pool settings to compute them");
        }
        return p;
    }

    @Override
    public ScreenerIdentity identity() {
        return identity;
    }

    /** The loaded model's descriptor. */
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public ScreeningReport screen(Study study) {
        Objects.requireNonNull(study, "study");
        if (closed) {
            throw new OsteoException("the screener is closed");
        }
        RoiExtraction extraction = extractor.extract(study);
        List<VertebraRoi> rois = extraction.rois();
        List<VertebraPrediction> predictions = List.of();
        double[] patchMeanHu = new double[rois.size()];
        if (!rois.isEmpty()) {
            List<VertebraPatch> patches = new ArrayList<>(rois.size());
            for (int i = 0; i < rois.size(); i++) {
                float[] tensor = input.tensor(rois.get(i));
                patchMeanHu[i] = networkPatchMeanHu(rois.get(i));
                patches.add(new VertebraPatch(tensor, reportDevice));
            }
            predictions = pool.batchPredict(patches);
        }
        List<String> studyOod = studyOutOfDistribution(study);
        Sex sex = study.sex().orElse(Sex.FEMALE);
        YoungAdultReference reference = references.reference(reportDevice, sex);
        List<VertebraFinding> findings = new ArrayList<>(rois.size());
        for (int i = 0; i < rois.size(); i++) {
            findings.add(finding(rois.get(i), predictions.get(i), reference, patchMeanHu[i]));
        }
        List<String> notes = new ArrayList<>(extraction.notes());
        for (VertebraFinding f : findings) {
            if (f.estimatedBmd() < MIN_PLAUSIBLE_BMD || f.estimatedBmd() > MAX_PLAUSIBLE_BMD) {
                notes.add(String.format(java.util.Locale.ROOT, "%s: estimated BMD %.3f g/cm^2 lies outside the"
                        + " physiological range %.1f-%.1f g/cm^2: treat this model's BMD and T-score as unreliable",
                        f.level(), f.estimatedBmd(), MIN_PLAUSIBLE_BMD, MAX_PLAUSIBLE_BMD));
            }
        }
        if (study.sex().isEmpty()) {
            notes.add("patient sex not given: T-scores use the FEMALE young-adult reference of " + reportDevice);
        }
        if (rois.isEmpty()) {
            notes.add("no vertebra could be screened: patient not assessed");
        }
        List<String> notCovered = new ArrayList<>();
        for (SkippedVertebra s : extraction.skipped()) {
            notCovered.add(s.vertebra() + " (" + s.reason() + ")");
        }
        List<VertebraLevel> covered = rois.stream().map(VertebraRoi::level).toList();
        return new ScreeningReport(ScreeningReport.SCHEMA_VERSION, study.id(), identity,
                settings(study, sex, reference), reportDevice, aggregation.aggregate(findings), findings,
                extraction.skipped(), notes, IntendedUse.standard(covered, notCovered), studyOod);
    }

    /** Mean HU of the part of the cut patch the network sees (mid-slice for 2D), as training saw it. */
    private double networkPatchMeanHu(VertebraRoi roi) {
        float[] ct = roi.patch().toArray();
        int voxels = input.voxelsPerChannel();
        int offset = ct.length - voxels == 0 ? 0 : (input.cutSizeXyz()[2] / 2) * input.cutSizeXyz()[0] * input.cutSizeXyz()[1];
        double sum = 0;
        for (int i = 0; i < voxels; i++) {
            sum += input.hu(ct[offset + i]);
        }
        return sum / voxels;
    }

    /** Voxel size and slice thickness of the study against the training envelope. */
    private List<String> studyOutOfDistribution(Study study) {
        TrainingEnvelope env = descriptor.envelope();
        if (env == null) {
            return List.of("model '" + descriptor.name() + "' records no training envelope (trained before envelopes"
                    + " existed): the input cannot be checked against its training data");
        }
        if (study.ct().isEmpty()) {
            return List.of();
        }
        ImageGeometry g = study.ct().get().geometry();
        List<String> out = new ArrayList<>();
        double inPlane = Math.min(g.spacing(0), g.spacing(1));
        double inPlaneMax = Math.max(g.spacing(0), g.spacing(1));
        double slice = g.spacing(2);
        if (!TrainingEnvelope.withinSpacing(env.inPlaneSpacingMm(), inPlane)
                || !TrainingEnvelope.withinSpacing(env.inPlaneSpacingMm(), inPlaneMax)) {
            out.add(String.format(Locale.ROOT, "in-plane voxel size %.2f x %.2f mm outside the training range %.2f-%.2f mm",
                    g.spacing(0), g.spacing(1), env.inPlaneSpacingMm().get(0), env.inPlaneSpacingMm().get(1)));
        }
        if (!TrainingEnvelope.withinSpacing(env.sliceThicknessMm(), slice)) {
            out.add(String.format(Locale.ROOT, "slice spacing %.2f mm outside the training range %.2f-%.2f mm", slice,
                    env.sliceThicknessMm().get(0), env.sliceThicknessMm().get(1)));
        }
        return out;
    }

    /**
     * The level check: true only when the model puts at least the envelope's calibrated probability
     * on a level at least {@code levelCheckMinDistance} levels from the labelled one. Models without
     * an envelope use {@link #DEFAULT_LEVEL_CHECK_PROBABILITY} and {@link #DEFAULT_LEVEL_CHECK_DISTANCE}.
     */
    static boolean levelDisagreement(VertebraLevel labelled, VertebraLevel predicted, double probability,
            TrainingEnvelope env) {
        double minP = env == null ? DEFAULT_LEVEL_CHECK_PROBABILITY : env.levelCheckMinProbability();
        int minDistance = env == null ? DEFAULT_LEVEL_CHECK_DISTANCE : env.levelCheckMinDistance();
        return predicted != labelled && probability >= minP
                && Math.abs(predicted.position() - labelled.position()) >= minDistance;
    }

    /** Level-check probability for models without a calibrated envelope. */
    static final double DEFAULT_LEVEL_CHECK_PROBABILITY = 0.9;
    /** Level-check distance (levels) for models without a calibrated envelope. */
    static final int DEFAULT_LEVEL_CHECK_DISTANCE = 2;

    private VertebraFinding finding(VertebraRoi roi, VertebraPrediction p, YoungAdultReference reference,
            double patchMeanHu) {
        if (!Double.isFinite(p.probability()) || !Double.isFinite(p.bmdGcm2())) {
            throw new OsteoException("model '" + descriptor.name() + "' produced a non-finite output for " + roi.level()
                    + " (probability " + p.probability() + ", BMD " + p.bmdGcm2() + "): the model is broken");
        }
        double probability = Math.max(0, Math.min(1, p.probability()));
        Decision decision = probability >= threshold ? Decision.POSITIVE : Decision.NEGATIVE;
        double tScore = reference.tScore(p.bmdGcm2());
        VertebraLevel believed = p.mostLikelyLevel();
        double believedP = Math.max(0, Math.min(1, p.positionProbabilities().get(believed.classIndex())));
        TrainingEnvelope env = descriptor.envelope();
        List<String> ood = new ArrayList<>();
        if (env != null) {
            if (!env.levels().contains(roi.level())) {
                ood.add(roi.level() + " is not among the levels the model was trained on " + env.levels());
            }
            double lo = env.patchMeanHu().get(0);
            double hi = env.patchMeanHu().get(1);
            if (patchMeanHu < lo || patchMeanHu > hi) {
                ood.add(String.format(Locale.ROOT, "patch mean %.0f HU outside the training range %.0f..%.0f HU"
                        + " (1st-99th percentile)", patchMeanHu, lo, hi));
            }
            if (env.validationBmdGcm2() != null && (p.bmdGcm2() < env.validationBmdGcm2().get(0)
                    || p.bmdGcm2() > env.validationBmdGcm2().get(1))) {
                ood.add(String.format(Locale.ROOT, "estimated BMD %.3f g/cm^2 outside the model's validation output"
                        + " range %.3f-%.3f g/cm^2", p.bmdGcm2(), env.validationBmdGcm2().get(0),
                        env.validationBmdGcm2().get(1)));
            }
        }
        return new VertebraFinding(roi.level(), roi.labels(), probability, decision, p.bmdGcm2(), tScore,
                roi.trabecularHu(), believed, levelDisagreement(roi.level(), believed, believedP, env), Map.of(),
                believedP, ood);
    }

    private Map<String, String> settings(Study study, Sex sex, YoungAdultReference reference) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("operatingThreshold", String.valueOf(threshold));
        s.put("operatingThresholdSource", thresholdFromDescriptor ? "model descriptor" : "caller");
        s.put("aggregation", aggregation.name());
        s.put("labelScheme", study.scheme().map(x -> x.name()).orElse("patches"));
        s.put("tScoreReference", reportDevice + " " + sex + ": mean " + reference.mean() + " g/cm^2, SD "
                + reference.sd() + " g/cm^2 (" + reference.source() + ")");
        s.put("patientSex", study.sex().map(Enum::name).orElse("not given"));
        s.put("model.name", descriptor.name());
        s.put("model.paramsSha256", String.valueOf(descriptor.paramsSha256()));
        s.put("model.patchSize", descriptor.architecture().patchSize().toString());
        s.put("model.spacingMm", descriptor.input().spacingMm().toString());
        s.put("model.architecture", descriptor.architecture().toString());
        if (descriptor.provenance() != null) {
            s.put("model.provenance", descriptor.provenance().software() + ", " + descriptor.provenance().createdUtc()
                    + ", dataset " + descriptor.provenance().dataset());
        }
        TrainingEnvelope env = descriptor.envelope();
        s.put("model.levelCheck", env == null ? String.format(Locale.ROOT, "fires at p >= %.2f and >= %d levels away"
                + " (default: the model records no calibration)", DEFAULT_LEVEL_CHECK_PROBABILITY, DEFAULT_LEVEL_CHECK_DISTANCE)
                : String.format(Locale.ROOT, "fires at p >= %.3f and >= %d levels away (calibrated on validation)",
                        env.levelCheckMinProbability(), env.levelCheckMinDistance()));
        s.put("workers", String.valueOf(workers));
        s.putAll(input.settings());
        s.putAll(extractor.settings());
        return s;
    }

    /**
     * Screens the studies with {@code workers} threads; reports in input order. Fails (after the
     * running studies end) with the first study's error; no partial list is returned.
     */
    @Override
    public List<ScreeningReport> screenAll(List<Study> studies) {
        Objects.requireNonNull(studies, "studies");
        progress.started("screening", studies.size());
        if (workers == 1 || studies.size() < 2) {
            List<ScreeningReport> out = new ArrayList<>(studies.size());
            for (Study s : studies) {
                out.add(screen(s));
                progress.progressed("screening", out.size(), studies.size(), s.id());
            }
            progress.finished("screening", out.size() + " studies");
            return List.copyOf(out);
        }
        ExecutorService executor = Executors.newFixedThreadPool(Math.min(workers, studies.size()), r -> {
            Thread t = new Thread(r, "osteo-screen");
            t.setDaemon(true);
            return t;
        });
        try {
            AtomicLong done = new AtomicLong();
            List<Future<ScreeningReport>> futures = new ArrayList<>(studies.size());
            for (Study s : studies) {
                futures.add(executor.submit(() -> {
                    ScreeningReport r = screen(s);
                    progress.progressed("screening", done.incrementAndGet(), studies.size(), s.id());
                    return r;
                }));
            }
            List<ScreeningReport> out = new ArrayList<>(studies.size());
            for (Future<ScreeningReport> f : futures) {
                out.add(f.get());
            }
            progress.finished("screening", out.size() + " studies");
            return List.copyOf(out);
        } catch (ExecutionException e) {
            progress.finished("screening", "failed: " + e.getCause().getMessage());
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new OsteoException("screening failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OsteoException("interrupted while screening", e);
        } finally {
            executor.shutdownNow();
        }
    }

    /** NDArrays alive under the model's manager, predictors' included (a leak check for tests). */
    int liveArrayCount() {
        return modelManager.getManagedArrays().size();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pool.close();
        try {
            model.close();
        } catch (Exception e) {
            LOG.warn("closing model '{}' failed: {}", descriptor.name(), e.toString());
        }
    }

    @Override
    public String toString() {
        return "ModelScreener[" + identity.name() + " " + identity.version() + " on " + identity.computeDevice() + "]";
    }
}
