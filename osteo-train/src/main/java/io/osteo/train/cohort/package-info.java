/**
 * The synthetic multi-site cohort ({@code shared/specs/synthetic-cohort.md}): latent bone state by
 * age and sex, DXA labels per device, and CT patches rendered from physics only.
 * {@link io.osteo.train.cohort.SyntheticCohortGenerator} plans, renders and writes it;
 * {@link io.osteo.train.cohort.CohortConfig} holds every parameter (JSON-configurable);
 * {@link io.osteo.train.cohort.CohortPreset} gives the {@code small}, {@code paper} and
 * {@code study} designs.
 *
 * <h2>Cohort folder</h2>
 * <ul>
 *   <li>{@code images/<patient>_<level>.nii.gz} (int16 HU) and {@code masks/<patient>_<level>_mask.nii.gz};</li>
 *   <li>{@code manifest.csv}: one row per vertebra, the format real cohorts use;</li>
 *   <li>{@code cohort.json}: the full configuration;</li>
 *   <li>{@code latent.csv}: the generator's latent truth, for the oracle baseline only (a model
 *       must never read it). Header exactly {@code patient_id,level,vbmd_mg_cm3,sbmd_mg_cm2};
 *       one row per rendered vertebra, labelled and unlabelled, in manifest order; {@code level}
 *       is the {@link io.osteo.api.anatomy.VertebraLevel} name ({@code L1}); {@code vbmd_mg_cm3}
 *       is the trabecular volumetric BMD the patch was rendered from (mg/cm^3); {@code sbmd_mg_cm2}
 *       is the latent standardised areal BMD (Hui 1997 scale) in mg/cm^2 (g/cm^2 x 1000): for a
 *       labelled L1-L4 vertebra the value the DXA label was simulated from (before device scale,
 *       bias and precision noise), for an unlabelled vertebra the patient value x its individual
 *       factor (level factors exist for L1-L4 only). Numbers have 4 decimals, dot separator, LF
 *       line ends; the file is deterministic per seed like the rest of the folder.
 *       ({@code (patient_id, level)} is unique and joins with the manifest.)</li>
 * </ul>
 *
 * <h2>Field of view and voxel size</h2>
 * The default patch (32^3 voxels at 0.8 mm) covers 25.6 mm: the lumbar body (about 40-49 mm wide,
 * 31-35 mm deep) fills it and its outline is out of view. The {@code study} preset uses 40^3 at
 * 1.2 mm (48 mm), which shows the whole antero-posterior outline of every level and the lateral
 * outline up to about L3 (L4-L6 bodies are 45-49 mm wide and touch the lateral edges). Why 1.2 mm
 * and not 32^3 at 1.5 mm: the scanner profiles' PSF has sigma 0.6-0.75 mm (FWHM 1.4-1.8 mm); its
 * modulation transfer at a grid's Nyquist frequency 1/(2h) is exp(-2 pi^2 sigma^2 / (2h)^2), about
 * 0.29-0.45 at h = 1.2 mm but 0.45-0.62 at h = 1.5 mm, i.e. a 1.5 mm grid leaves more of the
 * detail the PSF passes above Nyquist (aliased), and its strut cross-section (0.6 mm
 * correlation length) shrinks to 0.4 voxel. The patch is rendered directly on its grid (no
 * supersampling).
 */
package io.osteo.train.cohort;
