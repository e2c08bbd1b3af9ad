package io.osteo.train.cohort;

/**
 * Geometry of the CT patch rendered around each vertebral body.
 *
 * @param size voxels per axis (cubic patch; default 32)
 * @param spacingMm isotropic voxel size, mm (default 0.8)
 * @param centreJitterMm the body centre is displaced uniformly by up to this much per axis, mm
 *     (ROI placement is never perfect)
 */
public record PatchSpec(int size, double spacingMm, double centreJitterMm) {
    public PatchSpec {
        ConfigChecks.range("patch.size", size, 8, 256);
        ConfigChecks.range("patch.spacingMm", spacingMm, 0.1, 5);
        ConfigChecks.range("patch.centreJitterMm", centreJitterMm, 0, 10);
    }

    static PatchSpec defaults() {
        return new PatchSpec(32, 0.8, 1.5);
    }
}
