package io.osteo.train.dataset;

import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;

/**
 * Turns a CT patch (and its vertebral-body mask) into the input channels a network sees, on the
 * patch's grid: for TP-SwAV, the texture pool {original, TF1..TFM}. The datasets compute it once
 * per vertebra and cache it on disk under {@link #cacheKey()}. Implementations must be
 * deterministic and thread-safe.
 */
public interface PatchChannels {

    /** Number of channels produced. */
    int channelCount();

    /**
     * Channels of one patch, channel-major: value of channel c at voxel i (x fastest) is
     * {@code result[c * voxels + i]}. Finite values only.
     *
     * @param mask vertebral-body mask on the image grid, or null when the manifest has none
     */
    float[] compute(Volume image, LabelMap mask);

    /**
     * A stable text that changes whenever the output would (settings, version): part of the disk
     * cache key, so stale pools are never reused.
     */
    String cacheKey();
}
