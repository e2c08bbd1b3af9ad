package io.osteo.radiomics.pool;

import io.osteo.api.InvalidInputException;
import io.osteo.api.progress.ProgressListener;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.glcm.GlcmSettings;
import io.osteo.radiomics.glcm.WeightingNorm;
import io.osteo.radiomics.voxel.VoxelGlcmMaps;
import io.osteo.radiomics.voxel.VoxelMaps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The paper's texture pool: for a patch (CT image + ROI), the channels {original image,
 * TF1..TFM}, where TFk is the voxel-based GLCM map of feature k (PyRadiomics voxel semantics, see
 * {@link VoxelGlcmMaps}), all on the image's grid.
 *
 * <ul>
 *   <li>Stride 1: exact maps. Stride s &gt; 1: maps are computed at every s-th voxel along each axis
 *       (plus the last voxel of each axis) with full-resolution kernels and trilinearly
 *       interpolated back to every ROI voxel (the paper's "adaptive interpolation"); corners
 *       without a value are left out and the remaining weights renormalised.</li>
 *   <li>The original channel keeps the image values everywhere; map channels have values inside
 *       the ROI only.</li>
 *   <li>Each channel is normalised ({@link Normalization}); then voxels without a value (outside
 *       the ROI, or kernels without pairs) get {@link TexturePoolSettings#fillValue()} (default 0,
 *       the ROI mean under z-scoring). The result never holds NaN.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; each {@link #compute} call uses up to {@code threads} threads.
 *
 * <pre>{@code
 * TexturePool pool = TexturePool.builder()
 *         .features(GlcmFeature.paperFeatures())
 *         .kernelRadius(2).binWidth(25).stride(1).threads(2)
 *         .normalization(Normalization.zScoreRoi()).fillValue(0f)
 *         .build();
 * TexturePoolResult r = pool.compute(ct, vertebraMask);
 * }</pre>
 */
public final class TexturePool {

    private final TexturePoolSettings settings;
    private final int threads;
    private final ProgressListener progress;

    private TexturePool(TexturePoolSettings settings, int threads, ProgressListener progress) {
        this.settings = settings;
        this.threads = threads;
        this.progress = progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A pool that repeats {@code settings} exactly (e.g. read back from a trained model's JSON). */
    public static TexturePool of(TexturePoolSettings settings) {
        return new Builder().settings(settings).build();
    }

    public TexturePoolSettings settings() {
        return settings;
    }

    public int threads() {
        return threads;
    }

    /** The pool of the voxels of {@code labels} equal to {@code label}. */
    public TexturePoolResult compute(Volume image, LabelMap labels, int label) {
        checkGrid(image, labels);
        return compute(image, labels.mask(label));
    }

    /** The pool of the non-zero voxels of {@code labels}. */
    public TexturePoolResult compute(Volume image, LabelMap labels) {
        checkGrid(image, labels);
        boolean[] mask = new boolean[labels.geometry().voxelCount()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = labels.get(i) != 0;
        }
        return compute(image, mask);
    }

    private static void checkGrid(Volume image, LabelMap labels) {
        if (!image.geometry().sameGrid(labels.geometry(), 1e-4)) {
            throw new InvalidInputException("mask grid " + labels.geometry() + " does not match image grid "
                    + image.geometry());
        }
    }

    /**
     * Computes the pool of the ROI {@code mask} (x fastest, same grid as the image).
     *
     * @throws InvalidInputException for an empty or mis-sized mask or a non-finite image voxel
     */
    public TexturePoolResult compute(Volume image, boolean[] mask) {
        ImageGeometry g = image.geometry();
        if (mask == null || mask.length != g.voxelCount()) {
            throw new InvalidInputException("mask has " + (mask == null ? "no" : String.valueOf(mask.length))
                    + " voxels but the image " + g + " has " + g.voxelCount());
        }
        VoxelMaps maps = computeMaps(image, mask);
        int roi = maps.roiVoxels();
        List<double[]> raw = new ArrayList<>();
        float[] original = image.toArray();
        double[] orig = new double[original.length];
        for (int i = 0; i < orig.length; i++) {
            orig[i] = original[i];
        }
        raw.add(orig);
        for (GlcmFeature f : settings.features()) {
            raw.add(maps.values(f));
        }
        List<Volume> channels = new ArrayList<>();
        List<Normalization.ChannelScale> scales = new ArrayList<>();
        for (int c = 0; c < raw.size(); c++) {
            double[] values = raw.get(c);
            Normalization.ChannelScale scale = scale(c, values, mask);
            float[] out = new float[values.length];
            for (int i = 0; i < out.length; i++) {
                double v = values[i];
                out[i] = Double.isNaN(v) ? settings.fillValue() : (float) ((v - scale.center()) / scale.scale());
            }
            channels.add(Volume.wrap(g, out));
            scales.add(scale);
        }
        return new TexturePoolResult(settings, channels, scales, roi);
    }

    /**
     * The raw feature maps of the pool on the image grid, before normalisation and filling: exact
     * (stride 1) or interpolated from every s-th voxel; NaN where there is no value.
     */
    public VoxelMaps computeMaps(Volume image, boolean[] mask) {
        ImageGeometry g = image.geometry();
        if (mask == null || mask.length != g.voxelCount()) {
            throw new InvalidInputException("mask has " + (mask == null ? "no" : String.valueOf(mask.length))
                    + " voxels but the image " + g + " has " + g.voxelCount());
        }
        image.requireFinite("texture pool image");
        VoxelGlcmMaps maps = VoxelGlcmMaps.builder().settings(settings.glcm()).features(settings.features())
                .kernelRadius(settings.kernelRadius()).threads(threads).progress(progress).build();
        int s = settings.stride();
        if (s == 1) {
            return maps.compute(image, mask);
        }
        boolean[] centers = new boolean[mask.length];
        int[][] samples = {samples(g.nx(), s), samples(g.ny(), s), samples(g.nz(), s)};
        for (int z : samples[2]) {
            for (int y : samples[1]) {
                for (int x : samples[0]) {
                    int v = g.index(x, y, z);
                    centers[v] = mask[v];
                }
            }
        }
        VoxelMaps sampled = maps.computeAt(image, mask, centers);
        java.util.Map<GlcmFeature, double[]> out = new java.util.EnumMap<>(GlcmFeature.class);
        for (GlcmFeature f : settings.features()) {
            out.put(f, interpolate(sampled.values(f), mask, g, s));
        }
        return new VoxelMaps(g, out, sampled.roiVoxels());
    }

    private Normalization.ChannelScale scale(int channel, double[] values, boolean[] mask) {
        Normalization n = settings.normalization();
        return switch (n.kind()) {
            case NONE -> Normalization.ChannelScale.IDENTITY;
            case FIXED -> n.fixed().get(channel);
            case ZSCORE_ROI -> {
                double sum = 0;
                long count = 0;
                for (int i = 0; i < values.length; i++) {
                    if (mask[i] && !Double.isNaN(values[i])) {
                        sum += values[i];
                        count++;
                    }
                }
                if (count == 0) {
                    yield Normalization.ChannelScale.IDENTITY;
                }
                double mean = sum / count;
                double ss = 0;
                for (int i = 0; i < values.length; i++) {
                    if (mask[i] && !Double.isNaN(values[i])) {
                        double d = values[i] - mean;
                        ss += d * d;
                    }
                }
                double sd = Math.sqrt(ss / count);
                yield new Normalization.ChannelScale(mean, sd > 0 && Double.isFinite(sd) ? sd : 1.0);
            }
        };
    }

    /** Sample coordinates along an axis of n voxels: 0, s, 2s, ... and n - 1. */
    static int[] samples(int n, int s) {
        int count = (n - 1) / s + 1;
        boolean lastIncluded = (n - 1) % s == 0;
        int[] out = new int[count + (lastIncluded ? 0 : 1)];
        for (int k = 0; k < count; k++) {
            out[k] = k * s;
        }
        if (!lastIncluded) {
            out[count] = n - 1;
        }
        return out;
    }

    /**
     * Trilinear interpolation of a map known on the sample grid to every ROI voxel; corners
     * without a value are skipped and the weights of the others renormalised (NaN if none).
     */
    static double[] interpolate(double[] sampled, boolean[] mask, ImageGeometry g, int s) {
        int nx = g.nx();
        int ny = g.ny();
        int nz = g.nz();
        int[][] sm = {samples(nx, s), samples(ny, s), samples(nz, s)};
        int[][] lo = new int[3][];
        double[][] t = new double[3][];
        int[] n = {nx, ny, nz};
        for (int a = 0; a < 3; a++) {
            lo[a] = new int[n[a]];
            t[a] = new double[n[a]];
            int k = 0;
            for (int c = 0; c < n[a]; c++) {
                while (k + 1 < sm[a].length && sm[a][k + 1] <= c) {
                    k++;
                }
                lo[a][c] = k;
                t[a][c] = k + 1 < sm[a].length ? (c - sm[a][k]) / (double) (sm[a][k + 1] - sm[a][k]) : 0.0;
            }
        }
        double[] out = new double[sampled.length];
        Arrays.fill(out, Double.NaN);
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int v = g.index(x, y, z);
                    if (!mask[v]) {
                        continue;
                    }
                    double acc = 0;
                    double wsum = 0;
                    int[] c = {x, y, z};
                    for (int corner = 0; corner < 8; corner++) {
                        int[] idx = new int[3];
                        double w = 1;
                        for (int a = 0; a < 3; a++) {
                            int bit = (corner >> a) & 1;
                            double ta = t[a][c[a]];
                            w *= bit == 1 ? ta : 1 - ta;
                            idx[a] = sm[a][Math.min(lo[a][c[a]] + bit, sm[a].length - 1)];
                        }
                        if (w == 0) {
                            continue; // also skips the missing upper corner at the last sample
                        }
                        double val = sampled[g.index(idx[0], idx[1], idx[2])];
                        if (!Double.isNaN(val)) {
                            acc += w * val;
                            wsum += w;
                        }
                    }
                    if (wsum > 0) {
                        out[v] = acc / wsum;
                    }
                }
            }
        }
        return out;
    }

    /**
     * Fluent builder. Defaults: the paper's four features, R = 2, bin width 25, 3D, distance 1,
     * symmetric, no weighting norm, stride 1, one thread, {@link Normalization#zScoreRoi()}, fill 0.
     * Not thread-safe.
     */
    public static final class Builder {
        private List<GlcmFeature> features = new ArrayList<>(GlcmFeature.paperFeatures());
        private int kernelRadius = 2;
        private GlcmSettings.Builder glcm = GlcmSettings.builder();
        private int stride = 1;
        private int threads = 1;
        private Normalization normalization = Normalization.zScoreRoi();
        private float fillValue = 0f;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder() {}

        /** Presets every value-determining option from {@code settings}. */
        public Builder settings(TexturePoolSettings settings) {
            this.features = new ArrayList<>(settings.features());
            this.kernelRadius = settings.kernelRadius();
            this.glcm = settings.glcm().toBuilder();
            this.stride = settings.stride();
            this.normalization = settings.normalization();
            this.fillValue = settings.fillValue();
            return this;
        }

        public Builder features(GlcmFeature... features) {
            this.features = new ArrayList<>(Arrays.asList(features));
            return this;
        }

        public Builder features(List<GlcmFeature> features) {
            this.features = features == null ? null : new ArrayList<>(features);
            return this;
        }

        /** Kernel radius R in voxels (kernel side 2R + 1). */
        public Builder kernelRadius(int kernelRadius) {
            this.kernelRadius = kernelRadius;
            return this;
        }

        /** Fixed bin width in image units (HU); replaces a bin count. */
        public Builder binWidth(double binWidth) {
            glcm.binWidth(binWidth);
            return this;
        }

        /** Fixed bin count; replaces a bin width. */
        public Builder binCount(int binCount) {
            glcm.binCount(binCount);
            return this;
        }

        public Builder distances(int... distances) {
            glcm.distances(distances);
            return this;
        }

        /** In-plane (x-y) kernels and directions, PyRadiomics force2D with force2Ddimension 0. */
        public Builder force2D(boolean force2D) {
            glcm.force2D(force2D);
            return this;
        }

        public Builder symmetricalGLCM(boolean symmetrical) {
            glcm.symmetricalGLCM(symmetrical);
            return this;
        }

        public Builder weightingNorm(WeightingNorm norm) {
            glcm.weightingNorm(norm);
            return this;
        }

        /** Replaces all GLCM settings at once. */
        public Builder glcm(GlcmSettings settings) {
            this.glcm = settings.toBuilder();
            return this;
        }

        /** 1 = exact maps; s &gt; 1 = every s-th voxel, trilinear interpolation back. */
        public Builder stride(int stride) {
            this.stride = stride;
            return this;
        }

        /** Worker threads (does not change the numbers). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder normalization(Normalization normalization) {
            this.normalization = normalization;
            return this;
        }

        /** Value written where a channel has no value, after normalisation. */
        public Builder fillValue(float fillValue) {
            this.fillValue = fillValue;
            return this;
        }

        public Builder progress(ProgressListener progress) {
            this.progress = progress;
            return this;
        }

        public TexturePool build() {
            if (threads < 1 || threads > 1024) {
                throw new InvalidInputException("threads " + threads + " must be between 1 and 1024");
            }
            if (progress == null) {
                throw new InvalidInputException("progress listener is null (use ProgressListener.NONE)");
            }
            TexturePoolSettings s = new TexturePoolSettings(features, kernelRadius, glcm.build(), stride,
                    normalization, fillValue);
            return new TexturePool(s, threads, progress);
        }
    }
}
