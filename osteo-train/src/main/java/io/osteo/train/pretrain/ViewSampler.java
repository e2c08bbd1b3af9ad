package io.osteo.train.pretrain;

import java.util.SplittableRandom;

/** Makes SwAV views of pool patches; deterministic given the random generator. Stateless. */
final class ViewSampler {

    private final ViewMode mode;
    private final double jitter;
    private final double minCropScale;

    ViewSampler(ViewMode mode, double jitter, double minCropScale) {
        this.mode = mode;
        this.jitter = jitter;
        this.minCropScale = minCropScale;
    }

    /** Two single-channel views of the patch. */
    float[][] views(PoolPatch patch, SplittableRandom random) {
        if (mode == ViewMode.TEXTURE_POOL) {
            int n = patch.channels().length;
            int a = random.nextInt(n);
            int b = n == 1 ? a : (a + 1 + random.nextInt(n - 1)) % n; // a different channel
            return new float[][] {jittered(patch.channels()[a], random), jittered(patch.channels()[b], random)};
        }
        return new float[][] {jittered(crop(patch, random), random), jittered(crop(patch, random), random)};
    }

    private float[] jittered(float[] x, SplittableRandom random) {
        float scale = (float) (1 + jitter * (2 * random.nextDouble() - 1));
        float shift = (float) (jitter * (2 * random.nextDouble() - 1));
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = scale * x[i] + shift;
        }
        return out;
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
