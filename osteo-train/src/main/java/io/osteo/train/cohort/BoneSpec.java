package io.osteo.train.cohort;

/**
 * How latent bone density becomes trabecular microstructure and CT attenuation. Values marked
 * <b>assumption</b> are ours; the others cite {@code clinical-facts.md}.
 *
 * @param individualSd per-vertebra log-normal variation of the patient's density (assumption 0.03)
 * @param sbmdYoung young-adult standardised BMD, g/cm^2 (Hologic NHANES 1.064 through Hui 1997)
 * @param vbmdYoung young-adult trabecular volumetric BMD, mg/cm^3 (QCT: > 120 normal; assumption 170)
 * @param vbmdExponent vBMD = vbmdYoung x (sBMD / sbmdYoung)^exponent: trabecular bone is lost
 *     faster than areal BMD, which includes cortex and posterior elements (assumption 1.3: with it mean trabecular HU falls from ~220 HU
 *     at T = 0 to ~110 HU at T = -3, close to the published 178 vs 118 HU and 226 -> 89 HU)
 * @param trabecularDiscordanceSd log-normal SD of trabecular vBMD given areal BMD: degenerative
 *     change, osteophytes and aortic calcification raise DXA but not CT trabecular density
 *     (assumption 0.15; keeps HU-only AUC near the published ~0.74-0.85)
 * @param tissueMineralMgCm3 mineral density of bone tissue, mg/cm^3: BV/TV = vBMD / this (assumption 1050)
 * @param qctSlope published approximate conversion vBMD ~= slope x HU + offset (0.71)
 * @param qctOffset offset of that conversion, mg/cm^3 (13.8)
 * @param redMarrowHu attenuation of red (haematopoietic) marrow, HU (assumption 40)
 * @param yellowMarrowHu attenuation of fatty marrow, HU (assumption -100)
 * @param fatFractionAt45 marrow fat fraction at age 45 with young BV/TV (assumption 0.35)
 * @param fatPerYear fat fraction gained per year of age after 45 (assumption 0.006)
 * @param fatPerBvtvLoss fat fraction gained per unit of BV/TV lost below young (assumption 1.0)
 * @param fatFractionSd between-patient SD of the marrow fat fraction (assumption 0.15; MRI fat
 *     fractions vary widely between people of the same age and BMD, and fat lowers trabecular HU
 *     without changing the bone: a known confounder of HU-based BMD)
 * @param horizontalShareYoung share of the bone volume in horizontal struts when young (assumption 0.45)
 * @param horizontalLossExponent horizontal share = young share x (BV/TV / young)^exponent:
 *     horizontal trabeculae vanish first (Bergot 1988, Thomsen 2013; exponent is an assumption, 1.0)
 * @param strutLongMm correlation length of struts along their axis, mm (assumption 2.4)
 * @param strutShortMm correlation length across struts, mm (assumption 0.6; trabeculae are
 *     0.1-0.2 mm thick and 0.5-1 mm apart, below clinical CT resolution)
 * @param spacingExponent correlation lengths grow as (young BV/TV / BV/TV)^exponent: spacing
 *     grows as bone is lost (assumption 0.25)
 * @param edgeSoftness width of the soft threshold in field SDs (partial volume; assumption 0.3)
 * @param corticalThicknessMm cortical shell thickness of a young vertebra, mm (~1 mm)
 * @param corticalMinMm thinnest shell, mm (assumption 0.4)
 * @param corticalTissueFraction bone tissue share of the cortical shell (porosity; assumption 0.85)
 * @param corticalDiscordanceSd log-normal SD of the cortical shell thickness given the vertebra's
 *     areal BMD, or null for none (the small and paper presets: their 25.6 mm patches hardly show
 *     the shell). Without it the shell thickness is a noise-free function of the sBMD the DXA
 *     label is simulated from, which a patch that shows the whole body outline (the study preset)
 *     would read almost directly; cortical thickness and DXA BMD correlate only moderately in
 *     reality (<b>assumption</b> 0.25 in the study preset). Drawn from its own random stream, so
 *     switching it on changes nothing else.
 */
public record BoneSpec(double individualSd, double sbmdYoung, double vbmdYoung, double vbmdExponent,
        double trabecularDiscordanceSd, double tissueMineralMgCm3, double qctSlope, double qctOffset,
        double redMarrowHu, double yellowMarrowHu, double fatFractionAt45, double fatPerYear, double fatPerBvtvLoss,
        double fatFractionSd,        double horizontalShareYoung, double horizontalLossExponent, double strutLongMm, double strutShortMm,
        double spacingExponent, double edgeSoftness, double corticalThicknessMm, double corticalMinMm,
        double corticalTissueFraction, Double corticalDiscordanceSd) {

    public BoneSpec {
        ConfigChecks.range("bone.individualSd", individualSd, 0, 0.5);
        ConfigChecks.range("bone.sbmdYoung", sbmdYoung, 0.3, 2);
        ConfigChecks.range("bone.vbmdYoung", vbmdYoung, 20, 500);
        ConfigChecks.range("bone.vbmdExponent", vbmdExponent, 0.1, 10);
        ConfigChecks.range("bone.trabecularDiscordanceSd", trabecularDiscordanceSd, 0, 1);
        ConfigChecks.range("bone.tissueMineralMgCm3", tissueMineralMgCm3, vbmdYoung * 1.5, 3000);
        ConfigChecks.range("bone.qctSlope", qctSlope, 0.1, 5);
        ConfigChecks.range("bone.qctOffset", qctOffset, -200, 200);
        ConfigChecks.range("bone.redMarrowHu", redMarrowHu, -200, 200);
        ConfigChecks.range("bone.yellowMarrowHu", yellowMarrowHu, -300, 100);
        ConfigChecks.range("bone.fatFractionAt45", fatFractionAt45, 0, 1);
        ConfigChecks.range("bone.fatPerYear", fatPerYear, 0, 0.1);
        ConfigChecks.range("bone.fatPerBvtvLoss", fatPerBvtvLoss, 0, 20);
        ConfigChecks.range("bone.fatFractionSd", fatFractionSd, 0, 0.5);
        ConfigChecks.range("bone.horizontalShareYoung", horizontalShareYoung, 0, 0.9);
        ConfigChecks.range("bone.horizontalLossExponent", horizontalLossExponent, 0, 5);
        ConfigChecks.range("bone.strutLongMm", strutLongMm, 0.1, 20);
        ConfigChecks.range("bone.strutShortMm", strutShortMm, 0.1, strutLongMm);
        ConfigChecks.range("bone.spacingExponent", spacingExponent, 0, 2);
        ConfigChecks.range("bone.edgeSoftness", edgeSoftness, 0.01, 5);
        ConfigChecks.range("bone.corticalThicknessMm", corticalThicknessMm, 0.1, 5);
        ConfigChecks.range("bone.corticalMinMm", corticalMinMm, 0.05, corticalThicknessMm);
        ConfigChecks.range("bone.corticalTissueFraction", corticalTissueFraction, 0.1, 1);
        if (corticalDiscordanceSd != null) {
            ConfigChecks.range("bone.corticalDiscordanceSd", corticalDiscordanceSd, 0, 1);
        }
    }

    static BoneSpec defaults() {
        return new BoneSpec(0.03, 1.1407, 170, 1.3, 0.15, 1050, 0.71, 13.8, 40, -100, 0.35, 0.006, 1.0, 0.15,
                0.45, 1.0, 2.4, 0.6, 0.25, 0.3, 1.0, 0.4, 0.85, null);
    }

    /** A copy with another cortical discordance (null = none). */
    BoneSpec withCorticalDiscordanceSd(Double sd) {
        return new BoneSpec(individualSd, sbmdYoung, vbmdYoung, vbmdExponent, trabecularDiscordanceSd,
                tissueMineralMgCm3, qctSlope, qctOffset, redMarrowHu, yellowMarrowHu, fatFractionAt45, fatPerYear,
                fatPerBvtvLoss, fatFractionSd, horizontalShareYoung, horizontalLossExponent, strutLongMm, strutShortMm,
                spacingExponent, edgeSoftness, corticalThicknessMm, corticalMinMm, corticalTissueFraction, sd);
    }

    /** Young-adult bone volume fraction. */
    double bvtvYoung() {
        return vbmdYoung / tissueMineralMgCm3;
    }

    /** True (calibrated) attenuation of a mineral density, HU, by the QCT conversion. */
    double huOf(double mgCm3) {
        return (mgCm3 - qctOffset) / qctSlope;
    }
}
