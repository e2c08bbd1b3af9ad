package io.osteo.radiomics.attenuation;

import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.ScreenerConfig;
import io.osteo.api.screening.ScreenerProvider;
import io.osteo.radiomics.roi.VertebraRoiExtractor;

/**
 * Builds the {@link HuThresholdScreener} for {@code OsteoScreener.builder().huThreshold(hu)}
 * (registered in {@code META-INF/services}). Not for direct use.
 */
public final class HuThresholdScreenerProvider implements ScreenerProvider {

    @Override
    public boolean supports(ScreenerConfig config) {
        return config.model().isEmpty() && config.huThreshold().isPresent();
    }

    @Override
    public OsteoScreener create(ScreenerConfig config) {
        return new HuThresholdScreener(config.huThreshold().orElseThrow(), config.aggregation(), config.reportDevice(),
                VertebraRoiExtractor.builder().build());
    }
}
