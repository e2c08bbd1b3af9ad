package io.osteo.radiomics.discretization;

/**
 * Gray levels of an image after discretisation (PyRadiomics {@code binImage}): one positive bin
 * number per ROI voxel, 0 outside the ROI. Levels are the bin numbers actually present in the ROI
 * (ascending); {@link #maxLevel()} is PyRadiomics' {@code Ng} (the largest level present).
 *
 * <p>Immutable by convention: the arrays are owned by this object and must not be modified by
 * callers (accessors return the internal arrays for speed). Thread-safe for reading.
 *
 * @param bins bin number per voxel (x fastest), 0 outside the ROI
 * @param levels the distinct bin numbers present in the ROI, ascending (at least one)
 */
public record DiscretizedImage(int[] bins, int[] levels) {

    public DiscretizedImage {
        if (levels.length == 0) {
            throw new IllegalArgumentException("a discretised image needs at least one gray level");
        }
    }

    /** PyRadiomics' Ng: the largest gray level present in the ROI. */
    public int maxLevel() {
        return levels[levels.length - 1];
    }

    /** Number of distinct gray levels present in the ROI. */
    public int levelCount() {
        return levels.length;
    }

    /**
     * A lookup from bin number to the index of that level in {@link #levels()} (-1 for bins not
     * present), of length maxLevel + 1.
     */
    public int[] levelIndex() {
        int[] index = new int[maxLevel() + 1];
        java.util.Arrays.fill(index, -1);
        for (int i = 0; i < levels.length; i++) {
            index[levels[i]] = i;
        }
        return index;
    }
}
