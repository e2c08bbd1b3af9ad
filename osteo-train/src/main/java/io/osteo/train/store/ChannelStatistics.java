package io.osteo.train.store;

import io.osteo.api.InvalidInputException;
import io.osteo.radiomics.pool.Normalization;
import io.osteo.train.pretrain.PoolPatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-channel statistics of a cohort store's patches over some splits, in the store's layout
 * ({@link CohortStore#statistics}): for each output channel, the mean and population standard
 * deviation of the physical values (HU, raw map units) over the ROI voxels that have a value
 * (the vertebral-body mask when the manifest has one, else the whole patch; map voxels without a
 * value are left out). The recipe normalises texture channels with these fixed training-pool
 * statistics, stored with the model, instead of per patch.
 *
 * @param vertebrae number of patches the statistics were taken over
 * @param channels one entry per output channel, in channel order
 */
public record ChannelStatistics(int vertebrae, List<Channel> channels) {

    /**
     * Statistics of one channel.
     *
     * @param name channel name ("hu", "hu z+1", or a PyRadiomics feature name)
     * @param mean mean value (channel units; NaN when {@code count} is 0)
     * @param sd population standard deviation (channel units; NaN when {@code count} is 0)
     * @param count voxels counted
     */
    public record Channel(String name, double mean, double sd, long count) {}

    public ChannelStatistics {
        channels = List.copyOf(channels);
    }

    /** The channel means, in channel order. */
    public double[] means() {
        return channels.stream().mapToDouble(Channel::mean).toArray();
    }

    /** The channel standard deviations, in channel order. */
    public double[] sds() {
        return channels.stream().mapToDouble(Channel::sd).toArray();
    }

    /**
     * The statistics as fixed affine maps {@code (x - mean) / sd} (scale 1 where the SD is 0 or the
     * channel had no voxels), e.g. for {@link Normalization#fixed}.
     */
    public List<Normalization.ChannelScale> scales() {
        List<Normalization.ChannelScale> out = new ArrayList<>();
        for (Channel c : channels) {
            double center = Double.isFinite(c.mean()) ? c.mean() : 0;
            double scale = c.sd() > 0 && Double.isFinite(c.sd()) ? c.sd() : 1;
            out.add(new Normalization.ChannelScale(center, scale));
        }
        return List.copyOf(out);
    }

    /**
     * A normalised copy of a raw store patch: channels {@code >= firstChannel} become {@code (x -
     * mean) / sd} with {@link #scales()}, NaN (no value) becomes {@code fillValue}; channels before
     * {@code firstChannel} (e.g. HU, windowed by the model's own normalisation) are kept as they are.
     */
    public PoolPatch normalise(PoolPatch raw, int firstChannel, float fillValue) {
        if (raw.channels().length != channels.size()) {
            throw new InvalidInputException("patch has " + raw.channels().length + " channels, the statistics "
                    + channels.size());
        }
        if (firstChannel < 0 || firstChannel > channels.size()) {
            throw new InvalidInputException("first channel " + firstChannel + " is outside 0.." + channels.size());
        }
        if (!Float.isFinite(fillValue)) {
            throw new InvalidInputException("fill value " + fillValue + " must be finite");
        }
        List<Normalization.ChannelScale> scales = scales();
        float[][] out = new float[raw.channels().length][];
        for (int c = 0; c < out.length; c++) {
            float[] src = raw.channels()[c];
            if (c < firstChannel) {
                out[c] = src;
                continue;
            }
            double center = scales.get(c).center();
            double scale = scales.get(c).scale();
            float[] dst = new float[src.length];
            for (int i = 0; i < dst.length; i++) {
                float v = src[i];
                dst[i] = Float.isNaN(v) ? fillValue : (float) ((v - center) / scale);
            }
            out[c] = dst;
        }
        return new PoolPatch(raw.shape(), out);
    }
}
