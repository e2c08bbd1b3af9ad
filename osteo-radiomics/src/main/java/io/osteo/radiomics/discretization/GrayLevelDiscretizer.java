package io.osteo.radiomics.discretization;

import io.osteo.api.InvalidInputException;
import java.util.BitSet;

/**
 * PyRadiomics-conformant gray-level discretisation (IBSI "fixed bin size" / "fixed bin number" in
 * PyRadiomics' flavour), done once over the ROI.
 *
 * <p><b>Fixed bin width</b> w: bin edges are multiples of w, starting at the largest multiple not
 * above the ROI minimum, so {@code bin = floor(x / w) - floor(min / w) + 1}. Bins are half-open
 * [edge, edge + w); a value equal to an edge goes to the upper bin (as {@code numpy.digitize}).
 * The edges are computed exactly as PyRadiomics does ({@code lowBound + k * w} with Python's
 * floored modulo), so results match bit for bit even for non-integer data.
 *
 * <p><b>Fixed bin count</b> N: edges are {@code numpy.histogram}'s N + 1 equally spaced edges between
 * ROI minimum and maximum (for a flat ROI min - 0.5 .. max + 0.5), the last edge raised by 1 so the
 * maximum falls in bin N: {@code bin = floor(N (x - min) / (max - min)) + 1}, max in bin N.
 *
 * <p>Units: those of the image (HU for CT). Stateless and thread-safe.
 */
public final class GrayLevelDiscretizer {

    private GrayLevelDiscretizer() {}

    /** Discretises the ROI voxels with a fixed bin width (PyRadiomics {@code binWidth}, default 25). */
    public static DiscretizedImage byBinWidth(float[] image, boolean[] mask, double binWidth) {
        if (!(binWidth > 0) || !Double.isFinite(binWidth)) {
            throw new InvalidInputException("bin width " + binWidth + " must be a positive finite number");
        }
        double[] range = roiRange(image, mask);
        double min = range[0];
        double low = min - pythonMod(min, binWidth);
        int[] bins = new int[image.length];
        BitSet present = new BitSet();
        for (int i = 0; i < image.length; i++) {
            if (mask[i]) {
                double x = image[i];
                long k = (long) Math.floor((x - low) / binWidth);
                // correct floating-point rounding against the exact edges low + k * w (numpy.arange)
                while (k > 0 && low + k * binWidth > x) {
                    k--;
                }
                while (low + (k + 1) * binWidth <= x) {
                    k++;
                }
                if (k + 1 > Integer.MAX_VALUE / 2) {
                    throw new InvalidInputException("bin width " + binWidth + " gives more than 2^30 gray levels");
                }
                int bin = (int) k + 1;
                bins[i] = bin;
                present.set(bin);
            }
        }
        return new DiscretizedImage(bins, present.stream().toArray());
    }

    /** Discretises the ROI voxels into a fixed number of bins (PyRadiomics {@code binCount}). */
    public static DiscretizedImage byBinCount(float[] image, boolean[] mask, int binCount) {
        if (binCount < 1) {
            throw new InvalidInputException("bin count " + binCount + " must be at least 1");
        }
        double[] range = roiRange(image, mask);
        double first = range[0];
        double last = range[1];
        if (first == last) {
            first -= 0.5;
            last += 0.5;
        }
        double[] edges = new double[binCount + 1];
        double step = (last - first) / binCount;
        for (int k = 0; k <= binCount; k++) {
            edges[k] = k * step + first;
        }
        edges[binCount] = last + 1;
        int[] bins = new int[image.length];
        BitSet present = new BitSet();
        for (int i = 0; i < image.length; i++) {
            if (mask[i]) {
                double x = image[i];
                int k = (int) Math.floor((x - first) / step);
                k = Math.max(0, Math.min(binCount - 1, k));
                while (k > 0 && edges[k] > x) {
                    k--;
                }
                while (k < binCount - 1 && edges[k + 1] <= x) {
                    k++;
                }
                bins[i] = k + 1;
                present.set(k + 1);
            }
        }
        return new DiscretizedImage(bins, present.stream().toArray());
    }

    /** Python's float modulo: the result has the sign of the divisor. */
    static double pythonMod(double x, double w) {
        double m = x % w;
        if (m != 0 && (m < 0) != (w < 0)) {
            m += w;
        }
        return m;
    }

    private static double[] roiRange(float[] image, boolean[] mask) {
        if (image.length != mask.length) {
            throw new InvalidInputException("mask has " + mask.length + " voxels but the image has " + image.length);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < image.length; i++) {
            if (mask[i]) {
                float v = image[i];
                if (!Float.isFinite(v)) {
                    throw new InvalidInputException("image has a non-finite value (" + v + ") inside the ROI at index " + i);
                }
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min > max) {
            throw new InvalidInputException("the ROI mask is empty: no voxel to discretise");
        }
        return new double[] {min, max};
    }
}
