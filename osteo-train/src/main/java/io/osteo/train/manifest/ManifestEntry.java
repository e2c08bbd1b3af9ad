package io.osteo.train.manifest;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.Sex;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import java.nio.file.Path;

/**
 * One vertebra of a cohort: one manifest row.
 *
 * @param patientId patient identifier (vertebrae of one patient share it; patient-level results
 *     aggregate over it)
 * @param site hospital / site identifier
 * @param split role in experiments
 * @param device DXA device that measured {@code bmd}; {@link DxaDevice#UNKNOWN} for unlabelled rows
 * @param level vertebra level (position target = level.position())
 * @param image CT patch (absolute, or relative to the working directory), HU
 * @param mask vertebral-body mask on the image grid, or null
 * @param bmd DXA areal BMD on the device's scale, g/cm^2, or null
 * @param tScore DXA T-score, or null
 * @param label osteoporosis (T <= -2.5), or null for unlabelled rows
 * @param age age in years, or null
 * @param sex sex, or null
 */
public record ManifestEntry(String patientId, String site, Split split, DxaDevice device, VertebraLevel level,
        Path image, Path mask, Double bmd, Double tScore, Boolean label, Integer age, Sex sex) {

    public ManifestEntry {
        if (patientId == null || patientId.isBlank() || site == null || site.isBlank() || split == null
                || device == null || level == null || image == null) {
            throw new InvalidInputException("manifest entry needs patient_id, site, split, dxa_device, level and image; got "
                    + patientId + ", " + site + ", " + split + ", " + device + ", " + level + ", " + image);
        }
    }

    /** True when the row carries an osteoporosis label. */
    public boolean isLabelled() {
        return label != null;
    }
}
