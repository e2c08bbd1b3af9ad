package io.osteo.train.cohort;

import io.osteo.api.anatomy.Sex;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.train.manifest.Split;

/**
 * The latent state and labels of one synthetic vertebra, before its CT patch is rendered. The
 * label fields come from the DXA simulation only; the image is rendered from the bone state
 * ({@code vbmd}, {@code marrowFatFraction}, {@code corticalThicknessMm}) and the site's scanner.
 *
 * @param patientId patient id ("A-00012")
 * @param siteId site id ("A")
 * @param split role in experiments
 * @param device DXA device that labelled it ({@link DxaDevice#UNKNOWN} when unlabelled)
 * @param level vertebra level
 * @param age years
 * @param sex sex
 * @param sbmd latent standardised areal BMD of this vertebra, g/cm^2 (Hui 1997 scale)
 * @param vbmd trabecular volumetric BMD, mg/cm^3
 * @param marrowFatFraction fat share of the marrow between trabeculae, 0..1
 * @param corticalThicknessMm thickness of the cortical shell, mm
 * @param bmd areal BMD reported by {@code device}, g/cm^2, or null when unlabelled
 * @param tScore T-score with the device's young-adult reference, or null when unlabelled
 * @param label osteoporosis (T <= -2.5), or null when unlabelled
 * @param renderSeed seed of this vertebra's CT rendering
 */
public record VertebraPlan(String patientId, String siteId, Split split, DxaDevice device, VertebraLevel level,
        int age, Sex sex, double sbmd, double vbmd, double marrowFatFraction, double corticalThicknessMm,
        Double bmd, Double tScore, Boolean label, long renderSeed) {

    /** True when this vertebra has a DXA label. */
    public boolean isLabelled() {
        return label != null;
    }

    /** Base name of its files ("A-00012_L2"). */
    public String fileStem() {
        return patientId + "_" + level.name();
    }
}
