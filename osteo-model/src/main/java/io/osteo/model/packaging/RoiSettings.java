package io.osteo.model.packaging;

import io.osteo.api.InvalidInputException;
import io.osteo.radiomics.roi.VertebraRoiExtractor;

/**
 * The vertebra ROI extractor settings a model was trained with (see
 * {@link VertebraRoiExtractor.Builder} for their meaning), so that {@code osteo prepare} and the
 * screener cut and skip vertebrae the same way.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param marginMm context wanted around the body (mm; checked, never rescaled to)
 * @param erosionMm erosion of the body before the trabecular HU (mm)
 * @param minVolumeMm3 smallest vertebra mask volume screened (mm^3)
 * @param minEdgeHeightFraction fraction of the expected body height an edge-cut vertebra needs
 * @param minTrabecularVolumeMm3 smallest trabecular core after erosion (mm^3)
 * @param outsideHu HU of patch voxels beyond the scan
 */
public record RoiSettings(double marginMm, double erosionMm, double minVolumeMm3, double minEdgeHeightFraction,
        double minTrabecularVolumeMm3, double outsideHu) {

    public RoiSettings {
        if (!Double.isFinite(outsideHu) || !(marginMm >= 0) || !(erosionMm >= 0) || !(minVolumeMm3 >= 0)
                || !(minEdgeHeightFraction > 0 && minEdgeHeightFraction <= 1) || !(minTrabecularVolumeMm3 >= 0)) {
            throw new InvalidInputException("invalid ROI settings " + this);
        }
    }

    /** The extractor's defaults (margin 5 mm, erosion 3 mm, 3000 mm^3, 0.8, 200 mm^3, -1024 HU). */
    public static RoiSettings defaults() {
        return new RoiSettings(5, 3, 3000, 0.8, 200, -1024);
    }

    /** A builder of the extractor with these settings (patch grid not yet set). */
    public VertebraRoiExtractor.Builder extractorBuilder() {
        return VertebraRoiExtractor.builder().marginMm(marginMm).erosionMm(erosionMm).minVolumeMm3(minVolumeMm3)
                .minEdgeHeightFraction(minEdgeHeightFraction).minTrabecularVolumeMm3(minTrabecularVolumeMm3)
                .outsideHu((float) outsideHu);
    }
}
