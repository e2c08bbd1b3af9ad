package io.osteo.train.dataset;

import io.osteo.api.InvalidInputException;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Intensity-only channels: the HU image clipped to one or more windows and scaled to -1..1
 * ({@code 2 (clamp(HU, lo, hi) - lo) / (hi - lo) - 1}). The channel source of the intensity-only
 * baselines, and of every dataset until a texture pool is plugged in. Immutable, thread-safe.
 */
public final class HuWindowChannels implements PatchChannels {
    /** Bone window used by default, HU. */
    public static final double[] BONE_WINDOW = {-200, 1200};

    private final List<double[]> windows;

    private HuWindowChannels(List<double[]> windows) {
        this.windows = windows;
    }

    /** One channel with the {@link #BONE_WINDOW}. */
    public static HuWindowChannels bone() {
        return of(BONE_WINDOW);
    }

    /** One channel per {lo, hi} window (HU, lo < hi). */
    public static HuWindowChannels of(double[]... windows) {
        if (windows == null || windows.length == 0) {
            throw new InvalidInputException("HU window channels need at least one {lo, hi} window");
        }
        List<double[]> copy = new ArrayList<>();
        for (double[] w : windows) {
            if (w == null || w.length != 2 || !(w[0] < w[1]) || !Double.isFinite(w[0]) || !Double.isFinite(w[1])) {
                throw new InvalidInputException("HU window must be {lo, hi} with lo < hi, got "
                        + (w == null ? "null" : java.util.Arrays.toString(w)));
            }
            copy.add(w.clone());
        }
        return new HuWindowChannels(List.copyOf(copy));
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
            double lo = windows.get(c)[0];
            double hi = windows.get(c)[1];
            for (int i = 0; i < n; i++) {
                double v = Math.min(hi, Math.max(lo, image.get(i)));
                out[c * n + i] = (float) (2 * (v - lo) / (hi - lo) - 1);
            }
        }
        return out;
    }

    @Override
    public String cacheKey() {
        StringBuilder sb = new StringBuilder("hu-window-v1");
        for (double[] w : windows) {
            sb.append(String.format(Locale.ROOT, ":%.3f,%.3f", w[0], w[1]));
        }
        return sb.toString();
    }
}
