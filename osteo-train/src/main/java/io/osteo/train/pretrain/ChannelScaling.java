package io.osteo.train.pretrain;

import io.osteo.api.InvalidInputException;
import io.osteo.model.packaging.Normalization;
import java.util.Arrays;

/**
 * Fixed normalisation of the texture-pool channels, computed once on the training pool and stored
 * with the pretrained backbone: channel 0 (the CT, HU) through the model's HU window, every texture
 * map through a z-score with the pool's mean and SD of that map. Per-patch z-scoring would erase
 * each vertebra's texture level, the very signal texture-preserving views must keep.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param huWindow normalisation of channel 0 (HU)
 * @param mean mean of each channel on the training pool (raw map units; entry 0 unused)
 * @param sd standard deviation of each channel on the training pool (entry 0 unused), &gt; 0
 */
public record ChannelScaling(Normalization huWindow, double[] mean, double[] sd) {

    public ChannelScaling {
        if (huWindow == null || mean == null || sd == null || mean.length != sd.length || mean.length < 1) {
            throw new InvalidInputException("channel scaling needs an HU window and one mean and SD per channel");
        }
        mean = mean.clone();
        sd = sd.clone();
        for (int c = 1; c < sd.length; c++) {
            if (!(sd[c] > 0) || !Double.isFinite(mean[c])) {
                throw new InvalidInputException("channel " + c + " has mean " + mean[c] + " and SD " + sd[c]
                        + " on the training pool: a constant or non-finite texture map cannot be normalised");
            }
        }
    }

    /**
     * The statistics of the given pretraining data (every channel over every voxel of at most
     * {@code limit} patches, taken at evenly spaced indices).
     */
    public static ChannelScaling fit(PretrainingData data, Normalization huWindow, int limit) {
        int channels = data.get(0).channels().length;
        double[] sum = new double[channels];
        double[] sumSq = new double[channels];
        long[] count = new long[channels];
        int n = data.size();
        int take = Math.min(n, Math.max(1, limit));
        for (int t = 0; t < take; t++) {
            PoolPatch p = data.get((int) ((long) t * n / take));
            if (p.channels().length != channels) {
                throw new InvalidInputException("pretraining patch " + t + " has " + p.channels().length + " channels, expected "
                        + channels);
            }
            for (int c = 1; c < channels; c++) {
                for (float v : p.channels()[c]) {
                    if (!Float.isFinite(v)) continue; // no value (outside the ROI)
                    sum[c] += v;
                    sumSq[c] += (double) v * v;
                    count[c]++;
                }
            }
        }
        double[] mean = new double[channels];
        double[] sd = new double[channels];
        sd[0] = 1;
        for (int c = 1; c < channels; c++) {
            if (count[c] == 0) {
                throw new InvalidInputException("texture channel " + c + " has no value in " + take + " pretraining patches");
            }
            mean[c] = sum[c] / count[c];
            sd[c] = Math.sqrt(Math.max(0, sumSq[c] / count[c] - mean[c] * mean[c]));
        }
        return new ChannelScaling(huWindow, mean, sd);
    }

    /** Number of channels. */
    public int channels() {
        return mean.length;
    }

    /** Channel {@code c} of a patch, normalised (a new array). */
    public float[] normalize(int c, float[] values) {
        float[] out = new float[values.length];
        if (c == 0) {
            for (int i = 0; i < out.length; i++) out[i] = huWindow.apply(values[i]);
        } else {
            float m = (float) mean[c];
            float s = (float) (1.0 / sd[c]);
            for (int i = 0; i < out.length; i++) out[i] = Float.isFinite(values[i]) ? (values[i] - m) * s : 0f;
        }
        return out;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] sd() {
        return sd.clone();
    }

    @Override
    public String toString() {
        return "ChannelScaling[" + huWindow + ", mean=" + Arrays.toString(mean) + ", sd=" + Arrays.toString(sd) + "]";
    }
}
