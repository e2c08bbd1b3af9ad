package io.osteo.api.screening;

/**
 * Service-provider interface behind {@link OsteoScreener#builder()}: an implementation module
 * registers one in {@code META-INF/services/io.osteo.api.screening.ScreenerProvider} (the
 * radiomics module for the HU baseline, the model module for the network). Application code never
 * calls it directly.
 */
public interface ScreenerProvider {

    /** True if this provider builds the screener {@code config} describes. */
    boolean supports(ScreenerConfig config);

    /** Builds it; validates everything (model files, device) before returning. */
    OsteoScreener create(ScreenerConfig config);
}
