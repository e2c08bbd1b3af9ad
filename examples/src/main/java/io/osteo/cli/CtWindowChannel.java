package io.osteo.cli;

import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import io.osteo.model.packaging.Normalization;
import io.osteo.train.dataset.PatchChannels;

/**
 * The CT channel alone, normalised with a model's HU window: what the fine-tuned network reads
 * (channel 0 of {@link io.osteo.train.reproduce.TexturePoolChannels}, without computing the texture
 * maps the fine-tuner does not use). Immutable, thread-safe.
 */
final class CtWindowChannel implements PatchChannels {

    private final Normalization window;

    CtWindowChannel(Normalization window) {
        this.window = window;
    }

    @Override
    public int channelCount() {
        return 1;
    }

    @Override
    public float[] compute(Volume image, LabelMap mask) {
        float[] hu = image.toArray();
        for (int i = 0; i < hu.length; i++) {
            hu[i] = window.apply(hu[i]);
        }
        return hu;
    }

    @Override
    public String cacheKey() {
        return "ct-window-v1|" + window;
    }
}
