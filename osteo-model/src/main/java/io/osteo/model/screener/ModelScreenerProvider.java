package io.osteo.model.screener;

import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.ScreenerConfig;
import io.osteo.api.screening.ScreenerProvider;

/**
 * Builds the {@link ModelScreener} for {@code OsteoScreener.builder().model(...)} (registered in
 * {@code META-INF/services}). Not for direct use.
 */
public final class ModelScreenerProvider implements ScreenerProvider {

    @Override
    public boolean supports(ScreenerConfig config) {
        return config.model().isPresent();
    }

    @Override
    public OsteoScreener create(ScreenerConfig config) {
        return ModelScreener.create(config);
    }
}
