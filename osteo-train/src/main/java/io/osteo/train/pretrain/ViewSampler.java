package io.osteo.train.pretrain;

import io.osteo.train.augment.PatchTransform;
import java.util.SplittableRandom;

/**
 * Makes the two SwAV views of a pool patch: each view is an independently augmented copy of the
 * patch (physical bounds: {@link PatchTransform}) reduced to one channel and normalised with the
 * pool's fixed {@link ChannelScaling}. TP-SwAV takes two different texture-pool channels; plain
 * SwAV takes two random crops of the CT channel. Deterministic given the random generator;
 * stateless and thread-safe.
 */
final class ViewSampler {

    private final ViewMode mode;
    private final double minCropScale;
    private final PatchTransform augmentation;
    private final ChannelScaling scaling;

    ViewSampler(ViewMode mode, double minCropScale, PatchTransform augmentation, ChannelScaling scaling) {
        this.mode = mode;
        this.minCropScale = minCropScale;
        this.augmentation = augmentation;
        this.scaling = scaling;
    }

    /** Two single-channel, normalised views of the patch. */
    float[][] views(PoolPatch patch, SplittableRandom random) {
        PoolPatch first = augmentation.apply(patch, random);
        PoolPatch second = augmentation.apply(patch, random);
        if (mode == ViewMode.TEXTURE_POOL) {
            int n = patch.channels().length;
            int a = random.nextInt(n);
            int b = n == 1 ? a : (a + 1 + random.nextInt(n - 1)) % n; // a different channel
            return new float[][] {scaling.normalize(a, first.channels()[a]), scaling.normalize(b, second.channels()[b])};
        }
        return new float[][] {scaling.normalize(0, crop(first, random)), scaling.normalize(0, crop(second, random))};
    }

    /** Random sub-box of the CT channel, resized to the full grid by (bi/tri)linear interpolation, random flips. */
    private float[] crop(PoolPatch patch, SplittableRandom random) {
        int[] shape = patch.shape();
        int dims = shape.length;
        double[] start = new double[dims];
        double[] size = new double[dims];
        boolean[] flip = new boolean[dims];
        for (int a = 0; a < dims; a++) {
            double scale = minCropScale + (1 - minCropScale) * random.nextDouble();
            size[a] = scale * (shape[a] - 1);
            start[a] = random.nextDouble() * (shape[a] - 1 - size[a]);
            flip[a] = random.nextBoolean();
        }
        float[] src = patch.channels()[0];
        float[] out = new float[src.length];
        int[] idx = new int[dims];
        double[] pos = new double[dims];
        for (int i = 0; i < out.length; i++) {
            int rem = i;
            for (int a = dims - 1; a >= 0; a--) { // last axis fastest
                idx[a] = rem % shape[a];
                rem /= shape[a];
            }
            for (int a = 0; a < dims; a++) {
                double t = shape[a] == 1 ? 0 : (double) idx[a] / (shape[a] - 1);
                if (flip[a]) t = 1 - t;
                pos[a] = start[a] + t * size[a];
            }
            out[i] = (float) interpolate(src, shape, pos);
        }
        return out;
    }

    private static double interpolate(float[] src, int[] shape, double[] pos) {
        int dims = shape.length;
        int[] lo = new int[dims];
        double[] w = new double[dims];
        for (int a = 0; a < dims; a++) {
            lo[a] = Math.min((int) Math.floor(pos[a]), shape[a] - 1);
            w[a] = pos[a] - lo[a];
        }
        double sum = 0;
        for (int corner = 0; corner < (1 << dims); corner++) {
            double weight = 1;
            int flat = 0;
            for (int a = 0; a < dims; a++) {
                int bit = (corner >> a) & 1;
                int coord = Math.min(lo[a] + bit, shape[a] - 1);
                weight *= bit == 1 ? w[a] : 1 - w[a];
                flat = flat * shape[a] + coord;
            }
            if (weight != 0) sum += weight * src[flat];
        }
        return sum;
    }
}
