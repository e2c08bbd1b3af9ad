package io.osteo.train.cohort;

import io.osteo.api.anatomy.Sex;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaCalibration;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.dxa.DxaReference;
import io.osteo.api.dxa.WhoCategory;
import io.osteo.train.manifest.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws the latent bone state and DXA labels of every vertebra (cheap; no images). Each patient
 * has a random stream derived from (seed, patient index), so the plan does not depend on order.
 */
final class CohortPlanner {
    private static final long LABELLED_STREAM = 1;
    private static final long POOL_STREAM = 2;
    private static final long CORTEX_STREAM = 3;
    private static final int MAX_LEVEL_WITHOUT_L6 = VertebraLevel.L5.ordinal();

    private final CohortConfig config;
    private final DxaReference reference;

    CohortPlanner(CohortConfig config, DxaReference reference) {
        this.config = config;
        this.reference = reference;
    }

    List<VertebraPlan> plan() {
        List<VertebraPlan> out = new ArrayList<>();
        int patientIndex = 0;
        int labelledVertebrae = 0;
        int unlabelledFromTrain = 0;
        for (SiteSpec site : config.sites()) {
            Split[] splits = {Split.TRAIN, Split.VALID, site.external() ? Split.EXTERNAL : Split.TEST};
            int[] counts = {site.trainPatients(), site.validPatients(), site.testPatients()};
            int siteSerial = 0;
            for (int s = 0; s < 3; s++) {
                int n = scaled(counts[s]);
                for (int p = 0; p < n; p++) {
                    String id = site.id() + "-" + String.format("%05d", ++siteSerial);
                    SplittableRandom rng = new SplittableRandom(Seeds.derive(config.seed(), LABELLED_STREAM, patientIndex++));
                    int before = out.size();
                    drawPatient(rng, id, site, splits[s], true, out);
                    for (int i = before; i < out.size(); i++) {
                        if (out.get(i).isLabelled()) {
                            labelledVertebrae++;
                        } else {
                            unlabelledFromTrain++;
                        }
                    }
                }
            }
        }
        PopulationSpec pop = config.population();
        double missing = pop.unlabelledRatio() * labelledVertebrae - unlabelledFromTrain;
        int poolPatients = missing <= 0 ? 0 : (int) Math.ceil(missing / pop.unlabelledPerPoolPatient());
        List<SiteSpec> internal = config.sites().stream().filter(s -> !s.external() && s.trainPatients() > 0).toList();
        if (internal.isEmpty()) {
            return out;
        }
        double totalTrain = internal.stream().mapToInt(SiteSpec::trainPatients).sum();
        int[] serial = new int[internal.size()];
        for (int p = 0; p < poolPatients; p++) {
            SplittableRandom rng = new SplittableRandom(Seeds.derive(config.seed(), POOL_STREAM, p));
            double u = rng.nextDouble() * totalTrain;
            int k = 0;
            while (k < internal.size() - 1 && u >= internal.get(k).trainPatients()) {
                u -= internal.get(k).trainPatients();
                k++;
            }
            SiteSpec site = internal.get(k);
            String id = site.id() + "-U" + String.format("%05d", ++serial[k]);
            drawPatient(rng, id, site, Split.PRETRAIN, false, out);
        }
        return out;
    }

    private int scaled(int count) {
        if (count == 0) {
            return 0;
        }
        return Math.max(1, (int) Math.round(count * config.scale()));
    }

    private void drawPatient(SplittableRandom rng, String id, SiteSpec site, Split split, boolean withLabels,
            List<VertebraPlan> out) {
        PopulationSpec pop = config.population();
        Sex sex = rng.nextDouble() < pop.femaleFraction() ? Sex.FEMALE : Sex.MALE;
        int age = (int) Math.round(truncatedNormal(rng, pop.ageMean(), pop.ageSd(), pop.ageMin(), pop.ageMax()));
        double mean;
        double sd;
        if (sex == Sex.FEMALE) {
            double[] ms = pop.womenAt(age);
            mean = ms[0];
            sd = ms[1];
        } else {
            mean = pop.menMean();
            sd = pop.menSd();
        }
        double hologicL1L4 = Math.max(0.35, mean + sd * (pop.referralShiftSd() + rng.nextGaussian()));
        double sbmdPatient = DxaCalibration.toStandardized(DxaDevice.HOLOGIC, hologicL1L4);
        boolean hasL6 = rng.nextDouble() < pop.l6Probability();
        double fatDeviation = config.bone().fatFractionSd() * rng.nextGaussian();

        boolean[] labelled = new boolean[VertebraLevel.COUNT];
        boolean[] unlabelled = new boolean[VertebraLevel.COUNT];
        if (withLabels) {
            int k = 2 + pick(rng, pop.labelledCountWeights());
            int[] lumbar = shuffled(rng, VertebraLevel.L1.ordinal(), VertebraLevel.L4.ordinal());
            for (int i = 0; i < k; i++) {
                labelled[lumbar[i]] = true;
            }
        }
        int unlabelledCount = !withLabels ? pop.unlabelledPerPoolPatient()
                : split == Split.TRAIN ? pop.unlabelledPerLabelledPatient() : 0;
        int[] candidates = shuffled(rng, 0, hasL6 ? VertebraLevel.L6.ordinal() : MAX_LEVEL_WITHOUT_L6);
        int taken = 0;
        for (int c : candidates) {
            if (taken == unlabelledCount) {
                break;
            }
            if (!labelled[c]) {
                unlabelled[c] = true;
                taken++;
            }
        }
        for (VertebraLevel level : VertebraLevel.values()) {
            int o = level.ordinal();
            if (labelled[o] || unlabelled[o]) {
                out.add(vertebra(rng, id, site, labelled[o] ? split : Split.PRETRAIN, level, age, sex, sbmdPatient,
                        fatDeviation, labelled[o]));
            }
        }
    }

    private VertebraPlan vertebra(SplittableRandom rng, String id, SiteSpec site, Split split, VertebraLevel level,
            int age, Sex sex, double sbmdPatient, double fatDeviation, boolean withLabel) {
        BoneSpec bone = config.bone();
        AnatomySpec anatomy = config.anatomy();
        // draw order is fixed whatever the vertebra's role: determinism does not depend on branches
        double individual = Math.exp(bone.individualSd() * rng.nextGaussian());
        double discordance = Math.exp(bone.trabecularDiscordanceSd() * rng.nextGaussian());
        double precisionZ = rng.nextGaussian();
        long renderSeed = rng.nextLong();

        double sbmdOwn = sbmdPatient * individual;
        double vbmd = bone.vbmdYoung() * Math.pow(sbmdOwn / bone.sbmdYoung(), bone.vbmdExponent())
                * anatomy.vbmdFactor(level) * discordance;
        double bvtv = vbmd / bone.tissueMineralMgCm3();
        double fat = bone.fatFractionAt45() + bone.fatPerYear() * Math.max(0, age - 45)
                + bone.fatPerBvtvLoss() * Math.max(0, bone.bvtvYoung() - bvtv) + fatDeviation;
        fat = Math.min(0.95, Math.max(0.05, fat));
        double corticalDrive = sbmdOwn / bone.sbmdYoung();
        if (bone.corticalDiscordanceSd() != null && bone.corticalDiscordanceSd() > 0) {
            // own stream: the other draws (and presets without it) stay as they were
            SplittableRandom cortex = new SplittableRandom(Seeds.derive(renderSeed, CORTEX_STREAM, 0));
            corticalDrive *= Math.exp(bone.corticalDiscordanceSd() * cortex.nextGaussian());
        }
        double cortical = Math.max(bone.corticalMinMm(),
                Math.min(bone.corticalThicknessMm(), bone.corticalThicknessMm() * corticalDrive));

        if (!withLabel) {
            return new VertebraPlan(id, site.id(), Split.PRETRAIN, DxaDevice.UNKNOWN, level, age, sex, sbmdOwn, vbmd, fat,
                    cortical, null, null, null, renderSeed);
        }
        double sbmdLevel = sbmdOwn * anatomy.abmdFactor(level);
        DxaDevice device = site.device();
        double deviceScale = DxaCalibration.fromStandardized(device, sbmdLevel * (1 + config.dxa().bias(device)));
        double bmd = Math.max(0.2, deviceScale * (1 + config.dxa().precision(device) * precisionZ));
        bmd = Math.round(bmd * 1e4) / 1e4;
        double t = Math.round(reference.tScore(device, sex, bmd) * 1e3) / 1e3;
        return new VertebraPlan(id, site.id(), split, device, level, age, sex, sbmdLevel, vbmd, fat, cortical, bmd, t,
                WhoCategory.isOsteoporosis(t), renderSeed);
    }

    private static double truncatedNormal(SplittableRandom rng, double mean, double sd, double min, double max) {
        for (int i = 0; i < 1000; i++) {
            double v = mean + sd * rng.nextGaussian();
            if (v >= min && v <= max) {
                return v;
            }
        }
        return min + rng.nextDouble() * (max - min);
    }

    private static int pick(SplittableRandom rng, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double u = rng.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            if (u < weights[i]) {
                return i;
            }
            u -= weights[i];
        }
        return weights.length - 1;
    }

    /** The integers from..to (inclusive) in a seeded random order (Fisher-Yates). */
    private static int[] shuffled(SplittableRandom rng, int from, int to) {
        int[] a = new int[to - from + 1];
        for (int i = 0; i < a.length; i++) {
            a[i] = from + i;
        }
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
        return a;
    }
}
