package io.osteo.radiomics.glcm;

import io.osteo.api.InvalidInputException;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import io.osteo.radiomics.discretization.DiscretizedImage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * ROI-level ("segment-based") GLCM features, conformant with PyRadiomics' {@code RadiomicsGLCM}
 * on an image without resampling: discretise the ROI ({@link GlcmSettings#discretize}), count for
 * every direction the voxel pairs (v, v + offset) with both voxels in the ROI, keep the gray levels
 * present, symmetrise (P + P^T) if requested, drop directions without pairs, normalise each to sum
 * 1, and either average the per-direction features (weighting norm NONE) or compute the features
 * of the weighted sum of the matrices.
 *
 * <p>Direction convention: PyRadiomics works on the (z, y, x) array; {@link GlcmSettings#offsets()}
 * maps its 13 directions to our x-fastest {dx, dy, dz} in the same order, so matrices compare
 * one to one. Stateless apart from the settings; thread-safe.
 */
public final class GlcmExtractor {

    private final GlcmSettings settings;

    public GlcmExtractor(GlcmSettings settings) {
        if (settings == null) {
            throw new InvalidInputException("GLCM settings are missing");
        }
        this.settings = settings;
    }

    public GlcmSettings settings() {
        return settings;
    }

    /** All 24 features of the voxels of {@code labels} equal to {@code label}. */
    public GlcmResult compute(Volume image, LabelMap labels, int label) {
        if (!image.geometry().sameGrid(labels.geometry(), 1e-4)) {
            throw new InvalidInputException("mask grid " + labels.geometry() + " does not match image grid "
                    + image.geometry());
        }
        return compute(image, labels.mask(label), GlcmFeature.all());
    }

    /** All 24 features of the ROI {@code mask} (x fastest, same grid as the image). */
    public GlcmResult compute(Volume image, boolean[] mask) {
        return compute(image, mask, GlcmFeature.all());
    }

    /**
     * The requested features of the ROI {@code mask}.
     *
     * @throws InvalidInputException if the mask is empty or of the wrong size, the ROI holds a
     *     non-finite voxel, or no direction has a voxel pair inside the ROI
     */
    public GlcmResult compute(Volume image, boolean[] mask, Collection<GlcmFeature> features) {
        ImageGeometry geometry = image.geometry();
        if (mask == null || mask.length != geometry.voxelCount()) {
            throw new InvalidInputException("mask has " + (mask == null ? "no" : String.valueOf(mask.length))
                    + " voxels but the image " + geometry + " has " + geometry.voxelCount());
        }
        float[] voxels = image.toArray();
        DiscretizedImage d = settings.discretize(voxels, mask);
        GlcmMatrices matrices = matrices(d, mask, geometry);
        GlcmFeatureCalculator calc = new GlcmFeatureCalculator(features, d.maxLevel(), d.levelCount());
        int l = d.levelCount();
        double[] g = new double[l];
        for (int i = 0; i < l; i++) {
            g[i] = d.levels()[i];
        }
        int nf = GlcmFeature.values().length;
        double[] sum = new double[nf];
        int[] count = new int[nf];
        double[] out = new double[nf];
        for (double[] p : matrices.matrices()) {
            java.util.Arrays.fill(out, Double.NaN);
            calc.compute(p, g, l, out);
            for (int f = 0; f < nf; f++) {
                if (!Double.isNaN(out[f])) { // numpy.nanmean over directions
                    sum[f] += out[f];
                    count[f]++;
                }
            }
        }
        Map<GlcmFeature, Double> values = new EnumMap<>(GlcmFeature.class);
        for (GlcmFeature f : features) {
            values.put(f, count[f.ordinal()] == 0 ? Double.NaN : sum[f.ordinal()] / count[f.ordinal()]);
        }
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        return new GlcmResult(settings, values, matrices, n);
    }

    /** The (normalised, non-empty) matrices PyRadiomics would compute for this ROI. */
    GlcmMatrices matrices(DiscretizedImage d, boolean[] mask, ImageGeometry geometry) {
        int l = d.levelCount();
        if ((long) l * l * settings.offsets().size() > 200_000_000L) {
            throw new InvalidInputException("the ROI has " + l + " gray levels: GLCMs would need more than 1.6 GB;"
                    + " use a larger bin width or a bin count");
        }
        int[] levelIndex = d.levelIndex();
        int[] bins = d.bins();
        int nx = geometry.nx();
        int ny = geometry.ny();
        int nz = geometry.nz();
        int[] box = boundingBox(mask, nx, ny, nz);
        List<int[]> offsets = settings.offsets();
        List<double[]> counts = new ArrayList<>();
        List<int[]> kept = new ArrayList<>();
        double[] weighted = settings.weightingNorm() == WeightingNorm.NONE ? null : new double[l * l];
        for (int[] o : offsets) {
            double[] c = new double[l * l];
            long pairs = countPairs(bins, mask, levelIndex, l, nx, ny, nz, box, o, c);
            if (settings.symmetricalGLCM()) {
                symmetrize(c, l);
            }
            if (weighted != null) {
                double w = settings.weightingNorm().weight(o[0], o[1], o[2], geometry.spacing(0), geometry.spacing(1),
                        geometry.spacing(2));
                for (int i = 0; i < c.length; i++) {
                    weighted[i] += w * c[i];
                }
            } else if (pairs > 0) {
                counts.add(c);
                kept.add(o);
            }
        }
        if (weighted != null) {
            counts.add(weighted);
        }
        for (double[] c : counts) {
            double total = 0;
            for (double v : c) {
                total += v;
            }
            if (total == 0) {
                throw new InvalidInputException("the ROI has no pair of voxels in any GLCM direction (distances "
                        + settings.distances() + (settings.force2D() ? ", 2D" : ", 3D") + "); it is too small or too thin");
            }
            for (int i = 0; i < c.length; i++) {
                c[i] /= total;
            }
        }
        if (counts.isEmpty()) {
            throw new InvalidInputException("the ROI has no pair of voxels in any GLCM direction (distances "
                    + settings.distances() + (settings.force2D() ? ", 2D" : ", 3D") + "); it is too small or too thin");
        }
        return new GlcmMatrices(d.levels().clone(), List.copyOf(kept), List.copyOf(counts), d.maxLevel());
    }

    private static void symmetrize(double[] c, int l) {
        for (int i = 0; i < l; i++) {
            for (int j = i; j < l; j++) {
                double s = c[i * l + j] + c[j * l + i];
                c[i * l + j] = s;
                c[j * l + i] = s;
            }
        }
    }

    /** Inclusive bounding box {x0, y0, z0, x1, y1, z1} of the mask. */
    static int[] boundingBox(boolean[] mask, int nx, int ny, int nz) {
        int[] b = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1, -1};
        int i = 0;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++, i++) {
                    if (mask[i]) {
                        b[0] = Math.min(b[0], x);
                        b[1] = Math.min(b[1], y);
                        b[2] = Math.min(b[2], z);
                        b[3] = Math.max(b[3], x);
                        b[4] = Math.max(b[4], y);
                        b[5] = Math.max(b[5], z);
                    }
                }
            }
        }
        if (b[3] < 0) {
            throw new InvalidInputException("the ROI mask is empty");
        }
        return b;
    }

    private static long countPairs(int[] bins, boolean[] mask, int[] levelIndex, int l, int nx, int ny, int nz,
            int[] box, int[] o, double[] c) {
        int dx = o[0];
        int dy = o[1];
        int dz = o[2];
        long pairs = 0;
        int x0 = Math.max(box[0], box[0] - dx);
        int x1 = Math.min(box[3], box[3] - dx);
        int y0 = Math.max(box[1], box[1] - dy);
        int y1 = Math.min(box[4], box[4] - dy);
        int z0 = Math.max(box[2], box[2] - dz);
        int z1 = Math.min(box[5], box[5] - dz);
        int shift = dx + nx * (dy + ny * dz);
        for (int z = z0; z <= z1; z++) {
            for (int y = y0; y <= y1; y++) {
                int base = nx * (y + ny * z);
                for (int x = x0; x <= x1; x++) {
                    int u = base + x;
                    if (mask[u] && mask[u + shift]) {
                        c[levelIndex[bins[u]] * l + levelIndex[bins[u + shift]]]++;
                        pairs++;
                    }
                }
            }
        }
        return pairs;
    }
}
