package io.osteo.radiomics.glcm;

import java.util.List;

/**
 * The co-occurrence matrices of an ROI, as PyRadiomics builds them before computing features:
 * one matrix per non-empty direction (symmetrised if requested, each normalised to sum 1), over the
 * gray levels present in the ROI. With a weighting norm other than NONE there is a single matrix,
 * the weighted sum of the directions, normalised.
 *
 * <p>Immutable by convention (the arrays must not be modified). Thread-safe for reading.
 *
 * @param grayLevels the gray levels (bin numbers) present in the ROI, ascending; matrix row/column k
 *     is level grayLevels[k]
 * @param offsets the direction of each matrix as {dx, dy, dz} voxels (x fastest), PyRadiomics order;
 *     empty for the weighted sum
 * @param matrices normalised matrices, L x L row-major (row = centre voxel level), L = grayLevels.length
 * @param maxLevel PyRadiomics' Ng: the largest gray level present
 */
public record GlcmMatrices(int[] grayLevels, List<int[]> offsets, List<double[]> matrices, int maxLevel) {

    /** Number of gray levels (rows of each matrix). */
    public int levelCount() {
        return grayLevels.length;
    }

    /** p(i, j) of matrix {@code m}, i and j indexing {@link #grayLevels()}. */
    public double get(int m, int i, int j) {
        return matrices.get(m)[i * grayLevels.length + j];
    }
}
