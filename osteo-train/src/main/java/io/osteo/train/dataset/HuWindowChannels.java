package io.osteo.train.dataset;

import io.osteo.api.InvalidInputException;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import io.osteo.model.packaging.Normalization;
import java.util.List;

/**
 * Intensity-only channels: the HU image normalised with one or more {@link Normalization}s
 * (clamp to a window, then shift and scale), exactly as a packaged model's descriptor says, so
 * that training and screening read the same numbers. The channel source of the image-only
 * networks (fine-tuning reads the CT channel alone) and of every dataset until a texture pool is
 * plugged in. Immutable, thread-safe.
 */
public final class HuWindowChannels implements PatchChannels {

    private final List<Normalization> windows;

    private HuWindowChannels(List<Normalization> windows) {
        this.windows = windows;
    }

    /** One channel with {@link Normalization#boneWindow()}, the models' default. */
    public static HuWindowChannels bone() {
        return of(Normalization.boneWindow());
    }

    /** One channel per normalisation (for a model: its descriptor's {@code input().normalization()}). */
    public static HuWindowChannels of(Normalization... windows) {
        if (windows == null || windows.length == 0) {
            throw new InvalidInputException("HU window channels need at least one normalisation");
        }
        for (Normalization w : windows) {
            if (w == null) {
                throw new InvalidInputException("HU window channels got a null normalisation");
            }
        }
        return new HuWindowChannels(List.of(windows));
    }

    @Override
    public int channelCount() {
        return windows.size();
    }

    @Override
    public float[] compute(Volume image, LabelMap mask) {
        int n = image.geometry().voxelCount();
        float[] out = new float[n * windows.size()];
        for (int c = 0; c < windows.size(); c++) {
            Normalization w = windows.get(c);
            for (int i = 0; i < n; i++) {
                out[c * n + i] = w.apply(image.get(i));
            }
        }
        return out;
    }

    @Override
    public String cacheKey() {
        StringBuilder sb = new StringBuilder("hu-window-v2");
        for (Normalization w : windows) {
            sb.append('|').append(w);
        }
        return sb.toString();
    }
}
