package io.osteo.api.screening;

import io.osteo.api.InvalidInputException;

/**
 * Attenuation of the trabecular core of a vertebral body: the vertebra mask restricted to the
 * body and eroded by {@code erosionMm} to exclude the cortical shell (see the ROI extractor for the
 * heuristic). Units: Hounsfield units.
 *
 * @param meanHu mean HU
 * @param sdHu standard deviation (HU, sample SD; 0 for one voxel)
 * @param medianHu median HU
 * @param voxels number of voxels measured (at the CT's own resolution)
 * @param erosionMm erosion applied to the body mask, mm
 */
public record TrabecularHu(double meanHu, double sdHu, double medianHu, int voxels, double erosionMm) {
    public TrabecularHu {
        if (!Double.isFinite(meanHu) || !Double.isFinite(sdHu) || !Double.isFinite(medianHu)
                || !Double.isFinite(erosionMm) || sdHu < 0 || voxels < 1) {
            throw new InvalidInputException("trabecular HU statistics must be finite with at least one voxel: mean "
                    + meanHu + ", sd " + sdHu + ", median " + medianHu + ", voxels " + voxels);
        }
    }
}
