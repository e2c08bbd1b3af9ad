package io.osteo.api.screening;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import java.util.Objects;

/**
 * A ready vertebra crop, for callers whose pipeline already isolates vertebrae: the CT around one
 * vertebra (HU, any spacing: the screener resamples it to the model's grid) and the vertebra's
 * mask on the same grid (non-zero = vertebra, including posterior elements as segmenters label
 * them). Unlike a whole-CT study, a patch is trusted to show the complete vertebra: no edge check.
 *
 * @param level the vertebra the patch shows
 * @param ct CT crop in Hounsfield units, finite everywhere
 * @param mask vertebra mask on the CT's grid, at least one non-zero voxel
 */
public record VertebraPatch(VertebraLevel level, Volume ct, LabelMap mask) {

    /** Grid tolerance (mm for spacing/origin, unitless for direction cosines) for CT vs mask. */
    static final double GRID_TOLERANCE = 1e-3;

    public VertebraPatch {
        Objects.requireNonNull(level, "level");
        if (ct == null || mask == null) {
            throw new InvalidStudyException("patch of " + level + " needs a CT crop and a mask");
        }
        if (!ct.geometry().sameGrid(mask.geometry(), GRID_TOLERANCE)) {
            throw new InvalidStudyException("patch of " + level + ": mask grid " + mask.geometry()
                    + " differs from the CT grid " + ct.geometry());
        }
        try {
            ct.requireFinite("CT patch of " + level);
        } catch (InvalidInputException e) {
            throw new InvalidStudyException(e.getMessage(), e);
        }
        if (mask.presentLabels().length == 0) {
            throw new InvalidStudyException("patch of " + level + " has an empty mask (no non-zero voxel)");
        }
    }
}
