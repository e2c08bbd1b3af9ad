package io.osteo.model.packaging;

import io.osteo.api.InvalidInputException;

/**
 * Intensity normalisation of the CT channel (HU) applied before the network:
 * {@code x' = (clamp(x, clipLowHu, clipHighHu) - offsetHu) / scaleHu}. Texture channels are
 * normalised by the texture pool itself (see its settings). Immutable.
 *
 * <p>Immutable value; thread-safe.
 */
public record Normalization(double clipLowHu, double clipHighHu, double offsetHu, double scaleHu) {

    public Normalization {
        if (!(clipLowHu < clipHighHu) || !Double.isFinite(clipLowHu) || !Double.isFinite(clipHighHu)) {
            throw new InvalidInputException("normalisation clip range must be finite with low < high, got ["
                    + clipLowHu + ", " + clipHighHu + "] HU");
        }
        if (!(scaleHu > 0) || !Double.isFinite(scaleHu) || !Double.isFinite(offsetHu)) {
            throw new InvalidInputException("normalisation scale must be > 0 and offset finite, got scale "
                    + scaleHu + ", offset " + offsetHu);
        }
    }

    /**
     * The default CT window of OsteoScreen models: -200..1300 HU onto [0, 1] (marrow fat to dense
     * cortical bone; air and metal are clamped). Training and the descriptors default to it.
     */
    public static Normalization boneWindow() {
        return huWindow(-200, 1300);
    }

    /** Maps the HU window [low, high] linearly onto [0, 1] (values outside are clamped). */
    public static Normalization huWindow(double lowHu, double highHu) {
        return new Normalization(lowHu, highHu, lowHu, highHu - lowHu);
    }

    /** Normalises one HU value. */
    public float apply(float hu) {
        double c = Math.max(clipLowHu, Math.min(clipHighHu, hu));
        return (float) ((c - offsetHu) / scaleHu);
    }
}
