package io.osteo.train.cohort;

/**
 * Who the patients are and how their latent L1-L4 bone density is distributed. BMD values here
 * are on the Hologic scale (g/cm^2), as the NHANES tables are; the generator converts them to
 * standardised BMD with the Hui 1997 equation.
 *
 * @param ageMin youngest patient, years (45)
 * @param ageMax oldest patient, years (90)
 * @param ageMean mean of the (truncated normal) age distribution, years (66; referral cohorts
 *     are mostly in their 60s)
 * @param ageSd SD of the age distribution before truncation, years
 * @param femaleFraction share of women (assumption 0.75: referral cohorts are mostly women)
 * @param womenAgeAnchors ages at which the women's mean and SD are tabulated, years
 * @param womenMean NHANES women lumbar aBMD means at the anchors, g/cm^2 (Hologic)
 * @param womenSd NHANES women lumbar aBMD SDs at the anchors, g/cm^2
 * @param menMean men's lumbar aBMD mean, g/cm^2 (NHANES: men stay ~1.05-1.07)
 * @param menSd men's SD, g/cm^2 (assumption)
 * @param referralShiftSd shift of the whole referral cohort in SD units (<b>assumption</b> -0.6:
 *     patients with CT and DXA within months are referred for suspected bone loss, so their BMD
 *     is lower than the general population's; sets vertebra-level prevalence in the clinical
 *     19-33%+ range)
 * @param labelledCountWeights probability of 2, 3, 4 labelled vertebrae among L1-L4 (mean 2.2)
 * @param unlabelledPerLabelledPatient unlabelled vertebrae (T1-L5) of each training patient
 * @param unlabelledPerPoolPatient vertebrae of each unlabelled-only pool patient
 * @param unlabelledRatio unlabelled vertebrae per labelled vertebra in the pretraining pool (~6)
 * @param l6Probability chance that a patient has an L6 (lumbosacral transitional vertebra)
 */
public record PopulationSpec(double ageMin, double ageMax, double ageMean, double ageSd, double femaleFraction,
        double[] womenAgeAnchors, double[] womenMean, double[] womenSd, double menMean, double menSd,
        double referralShiftSd, double[] labelledCountWeights, int unlabelledPerLabelledPatient,
        int unlabelledPerPoolPatient, double unlabelledRatio, double l6Probability) {

    public PopulationSpec {
        ConfigChecks.range("population.ageMin", ageMin, 18, 110);
        ConfigChecks.range("population.ageMax", ageMax, ageMin, 110);
        ConfigChecks.range("population.ageMean", ageMean, 18, 110);
        ConfigChecks.range("population.ageSd", ageSd, 0.1, 50);
        ConfigChecks.range("population.femaleFraction", femaleFraction, 0, 1);
        ConfigChecks.present("population.womenAgeAnchors", womenAgeAnchors);
        int n = womenAgeAnchors.length;
        womenAgeAnchors = ConfigChecks.array("population.womenAgeAnchors", womenAgeAnchors, Math.max(n, 2), 0, 120);
        for (int i = 1; i < n; i++) {
            ConfigChecks.range("population.womenAgeAnchors[" + i + "]", womenAgeAnchors[i], womenAgeAnchors[i - 1] + 1e-9, 120);
        }
        womenMean = ConfigChecks.array("population.womenMean", womenMean, n, 0.3, 2.0);
        womenSd = ConfigChecks.array("population.womenSd", womenSd, n, 0.01, 0.5);
        ConfigChecks.range("population.menMean", menMean, 0.3, 2.0);
        ConfigChecks.range("population.menSd", menSd, 0.01, 0.5);
        ConfigChecks.range("population.referralShiftSd", referralShiftSd, -3, 3);
        labelledCountWeights = ConfigChecks.array("population.labelledCountWeights", labelledCountWeights, 3, 0, 1);
        double sum = labelledCountWeights[0] + labelledCountWeights[1] + labelledCountWeights[2];
        ConfigChecks.range("population.labelledCountWeights (sum)", sum, 1e-9, 1e9);
        ConfigChecks.range("population.unlabelledPerLabelledPatient", unlabelledPerLabelledPatient, 0, 18);
        ConfigChecks.range("population.unlabelledPerPoolPatient", unlabelledPerPoolPatient, 1, 18);
        ConfigChecks.range("population.unlabelledRatio", unlabelledRatio, 0, 1000);
        ConfigChecks.range("population.l6Probability", l6Probability, 0, 1);
    }

    static PopulationSpec defaults() {
        return new PopulationSpec(45, 90, 66, 10, 0.75,
                new double[] {25, 45, 55, 65, 75, 85},
                new double[] {1.064, 1.056, 0.993, 0.952, 0.902, 0.880},
                new double[] {0.106, 0.134, 0.141, 0.142, 0.167, 0.170},
                1.06, 0.15, -0.6, new double[] {0.85, 0.10, 0.05}, 3, 10, 6.0, 0.06);
    }

    @Override
    public double[] womenAgeAnchors() {
        return womenAgeAnchors.clone();
    }

    @Override
    public double[] womenMean() {
        return womenMean.clone();
    }

    @Override
    public double[] womenSd() {
        return womenSd.clone();
    }

    @Override
    public double[] labelledCountWeights() {
        return labelledCountWeights.clone();
    }

    /** Women's mean and SD at an age, linear between anchors, constant outside. */
    double[] womenAt(double age) {
        int n = womenAgeAnchors.length;
        if (age <= womenAgeAnchors[0]) {
            return new double[] {womenMean[0], womenSd[0]};
        }
        for (int i = 1; i < n; i++) {
            if (age <= womenAgeAnchors[i]) {
                double w = (age - womenAgeAnchors[i - 1]) / (womenAgeAnchors[i] - womenAgeAnchors[i - 1]);
                return new double[] {womenMean[i - 1] + w * (womenMean[i] - womenMean[i - 1]),
                    womenSd[i - 1] + w * (womenSd[i] - womenSd[i - 1])};
            }
        }
        return new double[] {womenMean[n - 1], womenSd[n - 1]};
    }
}
