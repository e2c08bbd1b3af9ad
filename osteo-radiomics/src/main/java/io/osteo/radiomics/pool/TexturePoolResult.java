package io.osteo.radiomics.pool;

import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.Volume;
import java.util.List;

/**
 * A computed texture pool: channels {original image, TF1..TFM} on the image grid, normalised as
 * the settings say, with no NaN (no-value voxels hold the settings' fill value). Immutable;
 * thread-safe.
 *
 * @param settings the settings that produced it
 * @param channels one volume per channel, in {@link TexturePoolSettings#channelNames()} order
 * @param scales the normalisation applied to each channel (center/scale; identity for NONE)
 * @param roiVoxels number of ROI voxels
 */
public record TexturePoolResult(TexturePoolSettings settings, List<Volume> channels,
        List<Normalization.ChannelScale> scales, int roiVoxels) {

    public TexturePoolResult {
        channels = List.copyOf(channels);
        scales = List.copyOf(scales);
    }

    public ImageGeometry geometry() {
        return channels.get(0).geometry();
    }

    public int channelCount() {
        return channels.size();
    }

    public List<String> channelNames() {
        return settings.channelNames();
    }

    public Volume channel(int index) {
        return channels.get(index);
    }

    /** The channel named "original" or a PyRadiomics feature name. */
    public Volume channel(String name) {
        int i = channelNames().indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no channel '" + name + "'; channels: " + channelNames());
        }
        return channels.get(i);
    }

    /** All channels in one array, channel-major then x fastest ([C][z][y][x] in C order). */
    public float[] toArray() {
        int n = geometry().voxelCount();
        float[] out = new float[n * channels.size()];
        for (int c = 0; c < channels.size(); c++) {
            System.arraycopy(channels.get(c).toArray(), 0, out, c * n, n);
        }
        return out;
    }
}
