package io.osteo.radiomics.roi;

import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.screening.TrabecularHu;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import java.util.List;
import java.util.Objects;

/**
 * One vertebra ready for screening.
 *
 * @param level the vertebra
 * @param labels its values in the input label map (empty for patch input)
 * @param patch CT resampled (trilinear) onto the model's patch grid, HU; null when the extractor
 *     was built without a patch grid (HU measurement only)
 * @param patchMask the vertebra mask resampled (nearest) onto the patch grid: {@link #BODY} in the
 *     vertebral-body region, {@link #POSTERIOR} in the rest of the vertebra (arch), 0 outside; null
 *     without a patch
 * @param trabecularHu attenuation of the eroded vertebral body, measured at the CT's own resolution
 * @param bodyCentreMm world (LPS, mm) centre of the vertebral body's bounding box, the patch centre
 */
public record VertebraRoi(VertebraLevel level, List<Integer> labels, Volume patch, LabelMap patchMask,
        TrabecularHu trabecularHu, double[] bodyCentreMm) {

    /** Patch-mask label of the vertebral-body region (the texture pool's ROI). */
    public static final int BODY = 2;
    /** Patch-mask label of the rest of the vertebra (posterior arch). */
    public static final int POSTERIOR = 1;

    public VertebraRoi {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(trabecularHu, "trabecularHu");
        labels = List.copyOf(labels);
        bodyCentreMm = bodyCentreMm.clone();
    }

    @Override
    public double[] bodyCentreMm() {
        return bodyCentreMm.clone();
    }
}
