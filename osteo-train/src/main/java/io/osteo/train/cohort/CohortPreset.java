package io.osteo.train.cohort;

import io.osteo.api.InvalidInputException;
import io.osteo.api.dxa.DxaDevice;
import java.util.List;

/**
 * Ready-made cohorts. {@link #SMALL} is for tests and the quick start (1/25 of the paper's
 * patients: about 340 labelled vertebrae and a ~6x unlabelled pool, generated in seconds);
 * {@link #PAPER} has the paper's sizes (about 8,600 labelled vertebrae); {@link #STUDY} is the
 * design of the reproduction study ({@code shared/specs/reproduction-study.md}, "Study design").
 *
 * <p>{@link #STUDY} differs from the other two in design, not only in size:
 * <ul>
 *   <li>sizes for narrow intervals (seeds 1, 7, 42, 99, 2025): 1,222-1,251 internal test
 *       vertebrae (334-352 positive), 602-626 at the external site D (165-231 positive), 402-416
 *       validation and 1,503-1,546 training vertebrae; each site's patient counts are set
 *       directly (scale 1);</li>
 *   <li>devices crossed with scanners: site {@code A2} is hospital A's CT scanner ("scanner 1",
 *       the same profile as site A) with its patients measured on a GE Lunar DXA, while site B is
 *       GE Lunar on "scanner 2". Within scanner 1 the DXA device changes (device conditioning
 *       is needed to read the label scale); within GE Lunar the scanner changes (scanner
 *       adaptation without a device change). A "site" of the manifest is therefore one
 *       (scanner, DXA device) arm; {@link CohortConfig#scannerOf(String)} names its scanner;</li>
 *   <li>a separate unlabelled pretraining pool: labelled patients contribute no unlabelled
 *       vertebrae ({@code unlabelledPerLabelledPatient = 0}), so every {@code pretrain} row
 *       belongs to a pool-only patient ({@code <site>-U#####}) disjoint from the labelled
 *       ones; its size is 1x the labelled vertebrae (3,780-3,820, {@code population.unlabelledRatio});</li>
 *   <li>a 48 mm field of view ({@code 40^3} voxels at 1.2 mm) so the vertebral-body outline is
 *       in view for the position task: at the scanners' PSF (sigma 0.6-0.75 mm) a 1.2 mm grid
 *       still keeps 30-45% modulation at its Nyquist frequency where 1.5 mm would alias what
 *       the PSF leaves of the strut texture (see the package documentation);</li>
 *   <li>the cortical shell, now in view, gets a thickness discordance
 *       ({@link BoneSpec#corticalDiscordanceSd()} 0.25, an assumption): without it the shell
 *       thickness is a noise-free function of the label's sBMD and the body's mean HU reads the
 *       label almost directly (within-site AUC 0.91-0.93, above the texture model);</li>
 *   <li>site D stays unseen: its own scanner ("scanner 4"), Hologic, test only.</li>
 * </ul>
 */
public enum CohortPreset {
    SMALL(0.04),
    PAPER(1.0),
    STUDY(1.0);

    /** Cortical-thickness discordance of the study preset (assumption; see {@link BoneSpec}). */
    private static final double STUDY_CORTICAL_DISCORDANCE = 0.25;

    private final double scale;

    CohortPreset(double scale) {
        this.scale = scale;
    }

    /** The default configuration of this preset with the given seed. */
    public CohortConfig config(long seed) {
        if (this == STUDY) {
            return studyConfig(seed);
        }
        return new CohortConfig(seed, scale, PatchSpec.defaults(), PopulationSpec.defaults(),
                CohortConfig.defaultSites(), AnatomySpec.defaults(), BoneSpec.defaults(), DxaSpec.defaults());
    }

    private static CohortConfig studyConfig(long seed) {
        List<SiteSpec> paperSites = CohortConfig.defaultSites();
        ScannerProfile scanner1 = paperSites.get(0).scanner();
        ScannerProfile scanner2 = paperSites.get(1).scanner();
        ScannerProfile scanner3 = paperSites.get(2).scanner();
        ScannerProfile scanner4 = paperSites.get(3).scanner();
        List<SiteSpec> sites = List.of(
                new SiteSpec("A", DxaDevice.HOLOGIC, scanner1, 260, 70, 200, false),
                new SiteSpec("A2", DxaDevice.GE_LUNAR, scanner1, 130, 35, 105, false),
                new SiteSpec("B", DxaDevice.GE_LUNAR, scanner2, 200, 50, 160, false),
                new SiteSpec("C", DxaDevice.MEDIX, scanner3, 110, 30, 95, false),
                new SiteSpec("D", DxaDevice.HOLOGIC, scanner4, 0, 0, 280, true));
        PopulationSpec p = PopulationSpec.defaults();
        PopulationSpec population = new PopulationSpec(p.ageMin(), p.ageMax(), p.ageMean(), p.ageSd(),
                p.femaleFraction(), p.womenAgeAnchors(), p.womenMean(), p.womenSd(), p.menMean(), p.menSd(),
                p.referralShiftSd(), p.labelledCountWeights(), 0, p.unlabelledPerPoolPatient(), 1.0,
                p.l6Probability());
        return new CohortConfig(seed, 1.0, new PatchSpec(40, 1.2, PatchSpec.defaults().centreJitterMm()), population,
                sites, AnatomySpec.defaults(), BoneSpec.defaults().withCorticalDiscordanceSd(STUDY_CORTICAL_DISCORDANCE),
                DxaSpec.defaults());
    }

    /** Parses "small", "paper" or "study" (case-insensitive). */
    public static CohortPreset parse(String name) {
        for (CohortPreset p : values()) {
            if (p.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return p;
            }
        }
        throw new InvalidInputException("unknown cohort preset '" + name + "' (expected small, paper or study)");
    }
}
