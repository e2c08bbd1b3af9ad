package io.osteo.model.packaging;

import io.osteo.api.InvalidInputException;
import io.osteo.api.dxa.DxaDevice;

/**
 * One preprocessed vertebra patch ready for the network: channel-first float voxels
 * ({@code [C, D, H, W]} or {@code [C, H, W]}, x fastest), already resampled to the model's spacing,
 * normalised as the model's {@link InputSpec} says, and the DXA device whose BMD scale is wanted
 * ({@link DxaDevice#UNKNOWN} if none).
 *
 * <p>The array is not copied: do not modify it while a prediction uses it.
 *
 * <p>Thread safety: immutable record, but the voxel array is shared, not copied.
 */
public record VertebraPatch(float[] voxels, DxaDevice device) {

    public VertebraPatch {
        if (voxels == null || voxels.length == 0) {
            throw new InvalidInputException("vertebra patch has no voxels");
        }
        if (device == null) {
            throw new InvalidInputException("vertebra patch has no DXA device (use DxaDevice.UNKNOWN)");
        }
    }
}
