package io.osteo.train.finetune;

import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.train.pretrain.PoolPatch;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Labelled 2D toy vertebrae (HU) for fast trainer tests: the label follows the stripe period of the
 * pattern (a texture property), BMD falls with the period; sites A/B with different devices.
 */
final class TinyCohort {

    private TinyCohort() {}

    static List<LabelledVertebra> make(int patients, int size, long seed, String prefix) {
        SplittableRandom r = new SplittableRandom(seed);
        List<LabelledVertebra> out = new ArrayList<>();
        for (int p = 0; p < patients; p++) {
            String site = p % 2 == 0 ? "A" : "B";
            DxaDevice device = site.equals("A") ? DxaDevice.HOLOGIC : DxaDevice.GE_LUNAR;
            double period = 2 + 6 * r.nextDouble();
            for (VertebraLevel level : List.of(VertebraLevel.L1, VertebraLevel.L2)) {
                double phase = r.nextDouble() * Math.PI;
                float[] ct = new float[size * size];
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        ct[y * size + x] = (float) (250 + 150 * Math.sin(2 * Math.PI * y / period + phase) + 45 * r.nextGaussian()); // HU
                    }
                }
                double bmd = 1.3 - 0.08 * period + 0.02 * r.nextGaussian();
                out.add(new LabelledVertebra(prefix + p, site, level, device, period > 5, bmd,
                        new PoolPatch(new int[] {size, size}, new float[][] {ct})));
            }
        }
        return out;
    }
}
