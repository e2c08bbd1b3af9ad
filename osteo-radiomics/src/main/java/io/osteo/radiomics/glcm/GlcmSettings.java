package io.osteo.radiomics.glcm;

import io.osteo.api.InvalidInputException;
import io.osteo.radiomics.discretization.DiscretizedImage;
import io.osteo.radiomics.discretization.GrayLevelDiscretizer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * GLCM settings, named as in PyRadiomics (and the IBSI): exactly one of {@code binWidth} (image
 * units, e.g. HU; default 25) and {@code binCount}; {@code distances} (voxels, infinity norm;
 * default [1]); {@code force2D} with {@code force2DDimension} (PyRadiomics' {@code force2Ddimension}
 * on the (z, y, x) array: 0 = z, i.e. in-plane x-y directions; 1 = y; 2 = x);
 * {@code symmetricalGLCM} (default true); {@code weightingNorm} (default {@link WeightingNorm#NONE}).
 *
 * <p>Immutable value, Gson-serialisable; build with {@link #builder()}.
 */
public record GlcmSettings(Double binWidth, Integer binCount, List<Integer> distances, boolean force2D,
        int force2DDimension, boolean symmetricalGLCM, WeightingNorm weightingNorm) {

    /** PyRadiomics' defaults: binWidth 25, distance 1, 3D, symmetric, no weighting norm. */
    public static final GlcmSettings DEFAULTS = builder().build();

    public GlcmSettings {
        if ((binWidth == null) == (binCount == null)) {
            throw new InvalidInputException("GLCM settings need exactly one of binWidth and binCount, got binWidth="
                    + binWidth + ", binCount=" + binCount);
        }
        if (binWidth != null && (!(binWidth > 0) || binWidth.isInfinite())) {
            throw new InvalidInputException("binWidth " + binWidth + " must be positive and finite");
        }
        if (binCount != null && binCount < 1) {
            throw new InvalidInputException("binCount " + binCount + " must be at least 1");
        }
        if (distances == null || distances.isEmpty()) {
            throw new InvalidInputException("GLCM distances must name at least one distance");
        }
        for (Integer d : distances) {
            if (d == null || d < 1) {
                throw new InvalidInputException("GLCM distance " + d + " must be a positive integer (voxels)");
            }
        }
        distances = List.copyOf(new TreeSet<>(distances));
        if (force2DDimension < 0 || force2DDimension > 2) {
            throw new InvalidInputException("force2Ddimension " + force2DDimension + " must be 0 (z), 1 (y) or 2 (x)");
        }
        if (weightingNorm == null) {
            weightingNorm = WeightingNorm.NONE;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.binWidth = binWidth;
        b.binCount = binCount;
        b.distances = distances;
        b.force2D = force2D;
        b.force2DDimension = force2DDimension;
        b.symmetricalGLCM = symmetricalGLCM;
        b.weightingNorm = weightingNorm;
        return b;
    }

    /** Discretises the ROI with this setting's bin width or bin count. */
    public DiscretizedImage discretize(float[] image, boolean[] mask) {
        return binCount != null
                ? GrayLevelDiscretizer.byBinCount(image, mask, binCount)
                : GrayLevelDiscretizer.byBinWidth(image, mask, binWidth);
    }

    /**
     * The co-occurrence offsets, one of each opposite pair, in PyRadiomics' order (its angles on the
     * (z, y, x) array), each as {dx, dy, dz} in voxels on our x-fastest grid. In 3D with distance 1
     * these are the 13 directions; with force2D the 4 in-plane ones.
     */
    public List<int[]> offsets() {
        int max = distances.get(distances.size() - 1);
        int n = 2 * max + 1;
        int skipped = force2D ? force2DDimension : -1; // PyRadiomics dimension on (z, y, x)
        List<int[]> out = new ArrayList<>();
        int total = n * n * n;
        // PyRadiomics enumerates offsets from +max down to -max, dimension 0 (z) slowest, and keeps
        // the first half of the valid ones (one of each opposite pair).
        List<int[]> all = new ArrayList<>();
        for (int idx = 0; idx < total; idx++) {
            int[] zyx = {max - (idx / (n * n)) % n, max - (idx / n) % n, max - idx % n};
            int dist = 0;
            boolean valid = true;
            for (int d = 0; d < 3; d++) {
                if (d == skipped && zyx[d] != 0) {
                    valid = false;
                }
                dist = Math.max(dist, Math.abs(zyx[d]));
            }
            if (valid && dist >= 1 && distances.contains(dist)) {
                all.add(new int[] {zyx[2], zyx[1], zyx[0]});
            }
        }
        for (int i = 0; i < all.size() / 2; i++) {
            out.add(all.get(i));
        }
        return out;
    }

    /** Fluent builder; see {@link GlcmSettings} for names and defaults. Not thread-safe. */
    public static final class Builder {
        private Double binWidth = 25.0;
        private Integer binCount;
        private List<Integer> distances = List.of(1);
        private boolean force2D;
        private int force2DDimension;
        private boolean symmetricalGLCM = true;
        private WeightingNorm weightingNorm = WeightingNorm.NONE;

        private Builder() {}

        /** Fixed bin width in image units (HU for CT); clears binCount. */
        public Builder binWidth(double binWidth) {
            this.binWidth = binWidth;
            this.binCount = null;
            return this;
        }

        /** Fixed number of bins; clears binWidth. */
        public Builder binCount(int binCount) {
            this.binCount = binCount;
            this.binWidth = null;
            return this;
        }

        public Builder distances(int... distances) {
            List<Integer> d = new ArrayList<>();
            for (int v : distances) {
                d.add(v);
            }
            this.distances = d;
            return this;
        }

        public Builder distances(List<Integer> distances) {
            this.distances = distances == null ? null : new ArrayList<>(distances);
            return this;
        }

        public Builder force2D(boolean force2D) {
            this.force2D = force2D;
            return this;
        }

        /** PyRadiomics' force2Ddimension on (z, y, x): 0 = z (default), 1 = y, 2 = x. */
        public Builder force2DDimension(int force2DDimension) {
            this.force2DDimension = force2DDimension;
            return this;
        }

        public Builder symmetricalGLCM(boolean symmetricalGLCM) {
            this.symmetricalGLCM = symmetricalGLCM;
            return this;
        }

        public Builder weightingNorm(WeightingNorm weightingNorm) {
            this.weightingNorm = weightingNorm;
            return this;
        }

        public GlcmSettings build() {
            return new GlcmSettings(binWidth, binCount, distances, force2D, force2DDimension, symmetricalGLCM,
                    weightingNorm);
        }
    }
}
