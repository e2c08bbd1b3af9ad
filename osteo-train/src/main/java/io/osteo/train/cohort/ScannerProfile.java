package io.osteo.train.cohort;

/**
 * How one CT scanner (one site) distorts the true attenuation of a patch. All values are
 * <b>assumptions</b> chosen inside the ranges of {@code synthetic-cohort.md}: calibration slope
 * 0.92-1.08 and offset +/- 30 HU, clinical noise and resolution.
 *
 * @param name profile name ("scanner 1")
 * @param psfSigmaMm Gaussian point-spread function sigma, mm
 * @param noiseSdHu additive Gaussian noise, HU
 * @param huSlope calibration error slope (observed = slope x true + offset)
 * @param huOffset calibration error offset, HU
 * @param scanSlopeSd per-scan variation of the slope (SD)
 * @param scanOffsetSdHu per-scan variation of the offset (SD), HU: protocol, kVp and contrast phase
 *     (IV contrast adds ~11 HU, 100 vs 140 kVp differ by ~17 HU; default 10 is an assumption)
 */
public record ScannerProfile(String name, double psfSigmaMm, double noiseSdHu, double huSlope, double huOffset,
        double scanSlopeSd, double scanOffsetSdHu) {
    public ScannerProfile {
        ConfigChecks.present("scanner.name", name);
        ConfigChecks.range("scanner.psfSigmaMm", psfSigmaMm, 0, 5);
        ConfigChecks.range("scanner.noiseSdHu", noiseSdHu, 0, 500);
        ConfigChecks.range("scanner.huSlope", huSlope, 0.5, 1.5);
        ConfigChecks.range("scanner.huOffset", huOffset, -200, 200);
        ConfigChecks.range("scanner.scanSlopeSd", scanSlopeSd, 0, 0.2);
        ConfigChecks.range("scanner.scanOffsetSdHu", scanOffsetSdHu, 0, 100);
    }
}
