package io.osteo.api.screening;

import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.dxa.DxaReference;
import io.osteo.api.progress.ProgressListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Screens CT studies for osteoporosis: per vertebra a probability, a decision, BMD and T-score
 * estimates in a DXA device's scale and the trabecular HU; per patient an aggregated decision.
 *
 * <pre>{@code
 * try (OsteoScreener screener = OsteoScreener.builder().model(Path.of("model")).build()) {
 *     ScreeningReport report = screener.screen(Study.of("p1", ct, labels, LabelScheme.totalSegmentatorV2()));
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe: many threads may call {@link #screen} on one instance, and
 * the results equal sequential ones. They hold native memory until {@link #close()}.
 */
public interface OsteoScreener extends AutoCloseable {

    /**
     * Screens one study.
     *
     * @throws InvalidStudyException if the study cannot be screened (the report is never partial)
     */
    ScreeningReport screen(Study study);

    /** Screens studies in order; reports in the same order. Fails on the first unusable study. */
    default List<ScreeningReport> screenAll(List<Study> studies) {
        Objects.requireNonNull(studies, "studies");
        List<ScreeningReport> reports = new ArrayList<>(studies.size());
        for (Study s : studies) {
            reports.add(screen(s));
        }
        return List.copyOf(reports);
    }

    /** Who screens: kind, model name and version, compute device. */
    ScreenerIdentity identity();

    /** Releases native resources; idempotent. */
    @Override
    void close();

    /** A builder: set {@link Builder#model} for the network, or {@link Builder#huThreshold} for the baseline. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Configuration of a screener. Defaults: device "auto", operating threshold from the model's
     * descriptor, aggregation {@link AggregationRule#anyPositive()}, report device
     * {@link DxaDevice#HOLOGIC} (the scale of the NHANES reference), 1 worker. Not thread-safe.
     */
    final class Builder {
        private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|gpu\\(?(\\d+)\\)?");

        private ModelSource model;
        private Double huThreshold;
        /** Lowest accepted HU threshold. */
        public static final double MIN_HU_THRESHOLD = 0;
        /** Highest accepted HU threshold. */
        public static final double MAX_HU_THRESHOLD = 400;
        private String device = "auto";
        private Double operatingThreshold;
        private AggregationRule aggregation = AggregationRule.anyPositive();
        private DxaDevice reportDevice = DxaDevice.HOLOGIC;
        private DxaReference dxaReference = DxaReference.defaults();
        private int workers = 1;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder() {}

        /** The packaged model directory. */
        public Builder model(Path directory) {
            this.model = ModelSource.directory(directory);
            return this;
        }

        /** A model from any source the model module understands. */
        public Builder model(ModelSource source) {
            this.model = Objects.requireNonNull(source, "model source");
            return this;
        }

        /**
         * Uses the HU-threshold baseline instead of a model: a vertebra is positive when its mean
         * trabecular HU is at or below {@code hu} (Pickhardt 2013: 160 HU sensitive, 110 HU specific).
         * Accepted: {@value #MIN_HU_THRESHOLD}..{@value #MAX_HU_THRESHOLD} HU, the range of trabecular
         * attenuation in adults (fatty marrow of severe osteoporosis to dense young bone); anything outside
         * (a negative value typed for a positive one, say) would call every or no vertebra positive.
         *
         * @throws InvalidInputException for a threshold outside that range
         */
        public Builder huThreshold(double hu) {
            if (!Double.isFinite(hu) || hu < MIN_HU_THRESHOLD || hu > MAX_HU_THRESHOLD) {
                throw new InvalidInputException("HU threshold " + hu + " is outside the physical range of trabecular bone"
                        + " (" + (int) MIN_HU_THRESHOLD + ".." + (int) MAX_HU_THRESHOLD + " HU; Pickhardt 2013 uses 110 and 160)");
            }
            this.huThreshold = hu;
            return this;
        }

        /** "auto" (GPU if the engine has one, else CPU), "cpu", "gpu" (= gpu0), "gpu1", "gpu(1)". */
        public Builder device(String device) {
            String d = device == null ? "" : device.trim().toLowerCase(Locale.ROOT);
            Matcher m = DEVICE.matcher(d);
            if (!m.matches()) {
                throw new InvalidInputException("compute device '" + device + "' is not one of auto, cpu, gpu, gpuN, gpu(N)");
            }
            this.device = d.startsWith("gpu") ? "gpu" + (m.group(1) == null ? "0" : Integer.parseInt(m.group(1))) : d;
            return this;
        }

        /** Probability at or above which a vertebra is positive (0 < p < 1); default: the model's. */
        public Builder operatingThreshold(double probability) {
            if (!(probability > 0 && probability < 1)) {
                throw new InvalidInputException("operating threshold " + probability + " must lie strictly between 0 and 1");
            }
            this.operatingThreshold = probability;
            return this;
        }

        /** Patient aggregation rule (default any-positive). */
        public Builder aggregation(AggregationRule rule) {
            this.aggregation = Objects.requireNonNull(rule, "aggregation rule");
            return this;
        }

        /** DXA device scale of the BMD and T-score estimates (default HOLOGIC). */
        public Builder reportDevice(DxaDevice device) {
            if (device == null || device == DxaDevice.UNKNOWN) {
                throw new InvalidInputException("report device must be HOLOGIC, GE_LUNAR or MEDIX, got " + device);
            }
            this.reportDevice = device;
            return this;
        }

        /**
         * Young-adult references for T-score estimates (default {@link DxaReference#defaults()}:
         * NHANES for Hologic, documented assumptions for GE Lunar and MEDIX); a site overrides them
         * with its scanner's constants.
         */
        public Builder dxaReference(DxaReference reference) {
            this.dxaReference = Objects.requireNonNull(reference, "DXA reference");
            return this;
        }

        /** Number of studies screened concurrently (model predictors held), 1..64. */
        public Builder workers(int workers) {
            if (workers < 1 || workers > 64) {
                throw new InvalidInputException("worker count " + workers + " is outside 1..64");
            }
            this.workers = workers;
            return this;
        }

        /** Receives progress of {@link OsteoScreener#screenAll}. */
        public Builder progress(ProgressListener listener) {
            this.progress = Objects.requireNonNull(listener, "progress listener");
            return this;
        }

        /**
         * Validates the settings, finds the implementation on the class path and builds it; loads
         * and checks the model now, so that a bad model fails here rather than at the first study.
         *
         * @throws InvalidInputException on contradictory or missing settings
         * @throws OsteoException if no implementation is on the class path, or the model is unusable
         */
        public OsteoScreener build() {
            if (model != null && huThreshold != null) {
                throw new InvalidInputException("choose either a model or an HU threshold, not both");
            }
            if (model == null && huThreshold == null) {
                throw new InvalidInputException("no model and no HU threshold: set model(dir) or huThreshold(hu)");
            }
            if (huThreshold != null && operatingThreshold != null) {
                throw new InvalidInputException("an operating (probability) threshold applies to a model, not to the HU baseline");
            }
            ScreenerConfig config = new ScreenerConfig(Optional.ofNullable(model), Optional.ofNullable(huThreshold),
                    device, Optional.ofNullable(operatingThreshold), aggregation, reportDevice, dxaReference, workers,
                    progress);
            for (ScreenerProvider provider : ServiceLoader.load(ScreenerProvider.class)) {
                if (provider.supports(config)) {
                    return provider.create(config);
                }
            }
            throw new OsteoException("no screener implementation for " + (model != null ? "model " + model
                    : "the HU-threshold baseline") + " on the class path: add io.osteo:"
                    + (model != null ? "osteo-model" : "osteo-radiomics") + " as a dependency");
        }
    }
}
