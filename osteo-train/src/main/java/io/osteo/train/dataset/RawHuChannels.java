package io.osteo.train.dataset;

import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;

/**
 * One channel: the CT patch in HU, unchanged. The channel source of fine-tuning and evaluation,
 * which read the CT alone; the trainers and the screener apply the model's HU window themselves.
 * Stateless, thread-safe.
 */
public final class RawHuChannels implements PatchChannels {

    /** The only instance. */
    public static final RawHuChannels INSTANCE = new RawHuChannels();

    private RawHuChannels() {}

    @Override
    public int channelCount() {
        return 1;
    }

    @Override
    public float[] compute(Volume image, LabelMap mask) {
        return image.toArray();
    }

    @Override
    public String cacheKey() {
        return "raw-hu-v1";
    }
}
