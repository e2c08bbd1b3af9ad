package io.osteo.model.packaging;

/**
 * How the network's patch is taken from the cut grid: the whole 3D grid, or its axial mid-slice
 * {@code z = depth / 2} (2D networks). Recorded in the {@link InputSpec} so that training and
 * screening take the same slice.
 */
public enum SliceMode {
    /** The whole 3D patch [D, H, W]. */
    VOLUME,
    /** The axial slice {@code z = cutDepth / 2} of a {@code cutDepth}-slice grid, [H, W]. */
    MID_AXIAL
}
