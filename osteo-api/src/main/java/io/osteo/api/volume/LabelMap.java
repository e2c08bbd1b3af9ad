package io.osteo.api.volume;

import io.osteo.api.InvalidInputException;
import java.util.Arrays;

/**
 * An immutable integer label image (segmentation, ROI mask) on an {@link ImageGeometry}; 0 is
 * background. Voxels are x-fastest. Thread-safe (immutable).
 */
public final class LabelMap {
    private final ImageGeometry geometry;
    private final int[] labels;

    /** Wraps a copy of {@code labels}, which must hold exactly geometry.voxelCount() values. */
    public LabelMap(ImageGeometry geometry, int[] labels) {
        this(geometry, labels, true);
    }

    private LabelMap(ImageGeometry geometry, int[] labels, boolean copy) {
        if (geometry == null || labels == null) {
            throw new InvalidInputException("label map needs a geometry and labels");
        }
        if (labels.length != geometry.voxelCount()) {
            throw new InvalidInputException("label map of " + geometry + " needs " + geometry.voxelCount()
                    + " voxels, got " + labels.length);
        }
        this.geometry = geometry;
        this.labels = copy ? labels.clone() : labels;
    }

    /** Takes ownership of {@code labels} without copying (for producers of a fresh array). */
    public static LabelMap wrap(ImageGeometry geometry, int[] labels) {
        return new LabelMap(geometry, labels, false);
    }

    public ImageGeometry geometry() {
        return geometry;
    }

    public int get(int x, int y, int z) {
        return labels[geometry.index(x, y, z)];
    }

    public int get(int index) {
        return labels[index];
    }

    /** A copy of the labels, x fastest. */
    public int[] toArray() {
        return labels.clone();
    }

    /** Mask of the voxels equal to {@code label}, as a boolean array (x fastest). */
    public boolean[] mask(int label) {
        boolean[] mask = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            mask[i] = labels[i] == label;
        }
        return mask;
    }

    /** Number of voxels equal to {@code label}. */
    public int count(int label) {
        int n = 0;
        for (int v : labels) {
            if (v == label) {
                n++;
            }
        }
        return n;
    }

    /** The distinct non-zero labels present, ascending. */
    public int[] presentLabels() {
        return Arrays.stream(labels).filter(v -> v != 0).distinct().sorted().toArray();
    }

    @Override
    public String toString() {
        return "LabelMap[" + geometry + "]";
    }
}
