package io.osteo.api.screening;

import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.dxa.DxaReference;
import io.osteo.api.progress.ProgressListener;
import java.util.Optional;

/**
 * The validated settings of {@link OsteoScreener.Builder}, as handed to a {@link ScreenerProvider}.
 *
 * @param model the model, absent for the HU-threshold baseline
 * @param huThreshold HU threshold of the baseline, absent for a model screener
 * @param device compute device: "auto", "cpu" or "gpuN" (normalised)
 * @param operatingThreshold probability threshold, absent = the model descriptor's
 * @param aggregation patient aggregation rule
 * @param reportDevice DXA device scale of BMD / T-score estimates
 * @param dxaReference young-adult references for T-scores
 * @param workers number of concurrent predictors (>= 1)
 * @param progress receives progress of {@link OsteoScreener#screenAll}
 */
public record ScreenerConfig(Optional<ModelSource> model, Optional<Double> huThreshold, String device,
        Optional<Double> operatingThreshold, AggregationRule aggregation, DxaDevice reportDevice, DxaReference dxaReference, int workers,
        ProgressListener progress) {}
