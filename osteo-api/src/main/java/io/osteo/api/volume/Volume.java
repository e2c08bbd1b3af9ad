package io.osteo.api.volume;

import io.osteo.api.InvalidInputException;

/**
 * An immutable scalar 3D image (CT in Hounsfield units, or any derived map) on an
 * {@link ImageGeometry}. Voxels are float, x-fastest. Values may be NaN only where a producer
 * documents it (texture maps mark "no value" with NaN); CT input is checked with
 * {@link #requireFinite(String)}.
 *
 * <p>Thread-safe (immutable). {@link #toArray()} returns a copy.
 */
public final class Volume {
    private final ImageGeometry geometry;
    private final float[] voxels;

    /** Wraps a copy of {@code voxels}, which must hold exactly geometry.voxelCount() values. */
    public Volume(ImageGeometry geometry, float[] voxels) {
        this(geometry, voxels, true);
    }

    private Volume(ImageGeometry geometry, float[] voxels, boolean copy) {
        if (geometry == null || voxels == null) {
            throw new InvalidInputException("volume needs a geometry and voxels");
        }
        if (voxels.length != geometry.voxelCount()) {
            throw new InvalidInputException("volume of " + geometry + " needs " + geometry.voxelCount()
                    + " voxels, got " + voxels.length);
        }
        this.geometry = geometry;
        this.voxels = copy ? voxels.clone() : voxels;
    }

    /**
     * Takes ownership of {@code voxels} without copying. For producers that have just filled a
     * fresh array and will not touch it again (readers, filters); never pass an array you keep.
     */
    public static Volume wrap(ImageGeometry geometry, float[] voxels) {
        return new Volume(geometry, voxels, false);
    }

    public ImageGeometry geometry() {
        return geometry;
    }

    public float get(int x, int y, int z) {
        return voxels[geometry.index(x, y, z)];
    }

    /** Voxel at a linear index (x fastest). */
    public float get(int index) {
        return voxels[index];
    }

    /** A copy of the voxels, x fastest. */
    public float[] toArray() {
        return voxels.clone();
    }

    /**
     * Fails with an {@link InvalidInputException} naming {@code what} and the first bad voxel if any
     * voxel is NaN or infinite; returns this volume otherwise.
     */
    public Volume requireFinite(String what) {
        for (int i = 0; i < voxels.length; i++) {
            if (!Float.isFinite(voxels[i])) {
                int x = i % geometry.nx();
                int y = (i / geometry.nx()) % geometry.ny();
                int z = i / (geometry.nx() * geometry.ny());
                throw new InvalidInputException(what + " has a non-finite voxel (" + voxels[i] + ") at (" + x + ", "
                        + y + ", " + z + ")");
            }
        }
        return this;
    }

    @Override
    public String toString() {
        return "Volume[" + geometry + "]";
    }
}
