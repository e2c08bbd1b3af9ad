package io.osteo.train.cohort;

import io.osteo.api.anatomy.VertebraLevel;

/**
 * Vertebral body sizes and level effects, one value per level T1..L6 (18) unless stated.
 * Sizes follow the ranges of Cook and Baker 2021 and Egwu et al. 2019 (lumbar bodies ~25-30 mm
 * tall and ~35 mm deep, thoracic T2-T9 ~17-21 mm tall); the per-level interpolation is an
 * <b>assumption</b>.
 *
 * @param bodyWidthMm lateral width of the body, mm
 * @param bodyDepthMm antero-posterior depth of the body, mm
 * @param bodyHeightMm cranio-caudal height of the body, mm
 * @param sizeJitterSd relative SD of a patient's body size
 * @param lumbarAbmdFactors L1, L2, L3, L4 areal BMD relative to the L1-L4 mean (young women,
 *     Biology Direct 2025: 0.960, 1.064, 1.100, 1.086 g/cm^2 normalised): the reason position
 *     carries information about the expected DXA value
 * @param vbmdLevelFactors trabecular volumetric BMD of each level relative to L1 (varies little;
 *     <b>assumption</b>)
 * @param discHu attenuation of the intervertebral discs above and below the body, HU
 * @param softTissueHu attenuation of the tissue around the body, HU
 */
public record AnatomySpec(double[] bodyWidthMm, double[] bodyDepthMm, double[] bodyHeightMm, double sizeJitterSd,
        double[] lumbarAbmdFactors, double[] vbmdLevelFactors, double discHu, double softTissueHu) {

    public AnatomySpec {
        bodyWidthMm = ConfigChecks.array("anatomy.bodyWidthMm", bodyWidthMm, VertebraLevel.COUNT, 5, 100);
        bodyDepthMm = ConfigChecks.array("anatomy.bodyDepthMm", bodyDepthMm, VertebraLevel.COUNT, 5, 100);
        bodyHeightMm = ConfigChecks.array("anatomy.bodyHeightMm", bodyHeightMm, VertebraLevel.COUNT, 5, 100);
        ConfigChecks.range("anatomy.sizeJitterSd", sizeJitterSd, 0, 0.3);
        lumbarAbmdFactors = ConfigChecks.array("anatomy.lumbarAbmdFactors", lumbarAbmdFactors, 4, 0.5, 1.5);
        vbmdLevelFactors = ConfigChecks.array("anatomy.vbmdLevelFactors", vbmdLevelFactors, VertebraLevel.COUNT, 0.5, 1.5);
        ConfigChecks.range("anatomy.discHu", discHu, -200, 300);
        ConfigChecks.range("anatomy.softTissueHu", softTissueHu, -200, 300);
    }

    static AnatomySpec defaults() {
        double[] young = {0.960, 1.064, 1.100, 1.086};
        double mean = (young[0] + young[1] + young[2] + young[3]) / 4;
        double[] factors = new double[4];
        for (int i = 0; i < 4; i++) {
            factors[i] = young[i] / mean;
        }
        return new AnatomySpec(
                new double[] {27, 26, 26, 27, 28, 29, 30, 31, 33, 35, 37, 39, 41, 43, 45, 47, 49, 49},
                new double[] {15, 16, 17, 18, 19, 21, 22, 24, 25, 26, 28, 29, 31, 32, 33, 34, 35, 35},
                new double[] {15, 16, 17, 17, 18, 18, 19, 19, 20, 21, 22, 23, 25, 26, 27, 27, 27, 26},
                0.05, factors,
                new double[] {1.05, 1.05, 1.05, 1.05, 1.05, 1.05, 1.05, 1.05, 1.05, 1.05, 1.03, 1.01,
                    1.00, 0.99, 0.98, 0.97, 0.96, 0.96},
                80, 35);
    }

    @Override
    public double[] bodyWidthMm() {
        return bodyWidthMm.clone();
    }

    @Override
    public double[] bodyDepthMm() {
        return bodyDepthMm.clone();
    }

    @Override
    public double[] bodyHeightMm() {
        return bodyHeightMm.clone();
    }

    @Override
    public double[] lumbarAbmdFactors() {
        return lumbarAbmdFactors.clone();
    }

    @Override
    public double[] vbmdLevelFactors() {
        return vbmdLevelFactors.clone();
    }

    double width(VertebraLevel level) {
        return bodyWidthMm[level.ordinal()];
    }

    double depth(VertebraLevel level) {
        return bodyDepthMm[level.ordinal()];
    }

    double height(VertebraLevel level) {
        return bodyHeightMm[level.ordinal()];
    }

    double vbmdFactor(VertebraLevel level) {
        return vbmdLevelFactors[level.ordinal()];
    }

    /** Areal BMD factor of a labelled level (L1..L4 only). */
    double abmdFactor(VertebraLevel level) {
        int i = level.ordinal() - VertebraLevel.L1.ordinal();
        if (i < 0 || i > 3) {
            throw new IllegalArgumentException("DXA labels exist for L1-L4 only, not " + level);
        }
        return lumbarAbmdFactors[i];
    }
}
