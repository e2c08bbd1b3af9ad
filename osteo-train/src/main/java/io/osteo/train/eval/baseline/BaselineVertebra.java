package io.osteo.train.eval.baseline;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import io.osteo.train.finetune.LabelledVertebra;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.pretrain.PoolPatch;

/**
 * A labelled vertebra as the baselines see it: its truth and its CT patch in physical Hounsfield
 * units (int16-valued floats, not windowed or normalised), with an optional vertebral-body mask on
 * the same grid. The patch is 3D, axes x (fastest), y, z (slowest; the axial mid-slice is
 * {@code z = nz / 2}); a 2D patch is a volume with {@code nz = 1}.
 *
 * @param patientId patient identifier
 * @param site acquisition site
 * @param level vertebra level
 * @param device DXA device that measured the label
 * @param positive osteoporosis by that device's T-score (<= -2.5)
 * @param bmdGcm2 measured areal BMD in g/cm^2 on the device's scale (NaN when unknown)
 * @param image CT patch, HU
 * @param bodyMask vertebral-body mask (x fastest, {@code image}'s voxel count), or null when none
 *     is known (then a central region stands in, see {@link TrabecularRoi})
 */
public record BaselineVertebra(String patientId, String site, VertebraLevel level, DxaDevice device, boolean positive,
        double bmdGcm2, Volume image, boolean[] bodyMask) {

    public BaselineVertebra {
        if (patientId == null || patientId.isBlank() || site == null || site.isBlank() || level == null || device == null
                || image == null) {
            throw new InvalidInputException("baseline vertebra of patient '" + patientId
                    + "' lacks a site, level, device or image");
        }
        if (bodyMask != null && bodyMask.length != image.geometry().voxelCount()) {
            throw new InvalidInputException("body mask of patient " + patientId + " " + level + " has " + bodyMask.length
                    + " voxels, the image " + image.geometry().voxelCount());
        }
    }

    /** "patientId/level", the evaluator's unit key. */
    public String unitKey() {
        return patientId + "/" + level;
    }

    /**
     * Reads a labelled manifest row: its image (HU) and, when the row names one, its mask (every
     * non-zero voxel is body).
     *
     * @throws InvalidInputException for an unlabelled row or a mask on another grid
     */
    public static BaselineVertebra read(ManifestEntry entry) {
        if (entry.label() == null) {
            throw new InvalidInputException("manifest row of patient " + entry.patientId() + " " + entry.level()
                    + " has no label; baselines need labelled vertebrae");
        }
        Volume image = VolumeIo.readVolume(entry.image());
        boolean[] mask = null;
        if (entry.mask() != null) {
            LabelMap labels = VolumeIo.readLabels(entry.mask());
            VolumeIo.requireSameGrid(image, labels, entry.image().toString(), entry.mask().toString());
            int[] values = labels.toArray();
            mask = new boolean[values.length];
            for (int i = 0; i < values.length; i++) mask[i] = values[i] != 0;
        }
        return new BaselineVertebra(entry.patientId(), entry.site(), entry.level(), entry.device(), entry.label(),
                entry.bmd() == null ? Double.NaN : entry.bmd(), image, mask);
    }

    /**
     * Reads every labelled row of the given splits, in manifest order (e.g. TEST and EXTERNAL for
     * the test vertebrae the deep rows are evaluated on).
     */
    public static java.util.List<BaselineVertebra> readAll(io.osteo.train.manifest.Manifest manifest,
            io.osteo.train.manifest.Split... splits) {
        return manifest.split(splits).stream().filter(ManifestEntry::isLabelled).map(BaselineVertebra::read).toList();
    }

    /**
     * Wraps a fine-tuning vertebra whose patch channel 0 holds physical HU (shape [D, H, W] or
     * [H, W]) on a grid of the given spacing.
     *
     * @param spacingMm voxel spacing x, y, z in mm (only the GLCM weighting norm would use it)
     * @param bodyMask body mask on the patch grid, or null
     */
    public static BaselineVertebra of(LabelledVertebra v, double spacingMm, boolean[] bodyMask) {
        PoolPatch p = v.patch();
        int[] s = p.shape();
        int nz = s.length == 3 ? s[0] : 1;
        int ny = s[s.length - 2];
        int nx = s[s.length - 1];
        Volume image = new Volume(ImageGeometry.of(nx, ny, nz, spacingMm, spacingMm, spacingMm), p.channels()[0].clone());
        return new BaselineVertebra(v.patientId(), v.site(), v.level(), v.device(), v.positive(), v.bmdGcm2(), image,
                bodyMask);
    }
}
