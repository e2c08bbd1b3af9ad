package io.osteo.train.pretrain;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small 2D pools for fast tests: a striped pattern per vertebra (random period and phase) plus two derived maps. */
final class TinyPools implements PretrainingData {

    private final List<PoolPatch> patches = new ArrayList<>();

    TinyPools(int count, int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            double period = 2 + 4 * r.nextDouble();
            double phase = r.nextDouble() * Math.PI;
            float[] ct = new float[size * size];
            float[] grad = new float[size * size];
            float[] square = new float[size * size];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double v = Math.sin(2 * Math.PI * y / period + phase) + 0.2 * r.nextGaussian();
                    ct[y * size + x] = (float) (250 + 150 * v); // HU
                    square[y * size + x] = (float) (v * v);
                }
            }
            for (int k = 1; k < ct.length; k++) grad[k] = (ct[k] - ct[k - 1]) / 150f;
            patches.add(new PoolPatch(new int[] {size, size}, new float[][] {ct, grad, square}));
        }
    }

    @Override
    public int size() {
        return patches.size();
    }

    @Override
    public PoolPatch get(int index) {
        return patches.get(index);
    }
}
