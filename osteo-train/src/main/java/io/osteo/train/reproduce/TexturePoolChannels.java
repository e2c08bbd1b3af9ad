package io.osteo.train.reproduce;

import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import io.osteo.radiomics.pool.TexturePool;
import io.osteo.radiomics.pool.TexturePoolResult;
import io.osteo.train.dataset.PatchChannels;

/**
 * The texture pool as dataset channels, in physical units: channel 0 is the CT in HU (the
 * trainers apply the model's HU window), channels 1..M the texture pool's GLCM maps as the pool
 * computes them (configure the pool without normalisation: the trainers normalise texture maps with
 * fixed training-pool statistics, {@link io.osteo.train.pretrain.ChannelScaling}). Without a mask the whole patch is the ROI. With {@code axialMidSliceOnly} the maps are
 * computed only on the axial mid-slice (z = nz / 2) of the ROI, which is all a 2D mid-slice model
 * reads (about nz times less work); elsewhere they hold the pool's fill value. Immutable,
 * thread-safe.
 */
public final class TexturePoolChannels implements PatchChannels {

    private final TexturePool pool;
    private final boolean axialMidSliceOnly;

    /**
     * @param pool texture pool (its own normalisation applies to the maps; its original channel is
     *     replaced by the raw HU)
     * @param axialMidSliceOnly compute the maps on the axial mid-slice only
     */
    public TexturePoolChannels(TexturePool pool, boolean axialMidSliceOnly) {
        this.pool = pool;
        this.axialMidSliceOnly = axialMidSliceOnly;
    }

    @Override
    public int channelCount() {
        return 1 + pool.settings().features().size();
    }

    @Override
    public float[] compute(Volume image, LabelMap mask) {
        float[] hu = image.toArray();
        boolean[] roi = new boolean[hu.length];
        if (mask == null) {
            java.util.Arrays.fill(roi, true);
        } else {
            for (int i = 0; i < roi.length; i++) roi[i] = mask.get(i) != 0;
        }
        if (axialMidSliceOnly) {
            int slice = image.geometry().nx() * image.geometry().ny();
            int z = image.geometry().nz() / 2;
            for (int i = 0; i < roi.length; i++) {
                if (i / slice != z) roi[i] = false;
            }
        }
        TexturePoolResult result = pool.compute(image, roi);
        float[] all = result.toArray();
        for (int i = 0; i < hu.length; i++) {
            all[i] = hu[i];
        }
        return all;
    }

    @Override
    public String cacheKey() {
        return "texture-pool-v2|raw HU|mid-slice " + axialMidSliceOnly + "|" + pool.settings().toJson();
    }
}
