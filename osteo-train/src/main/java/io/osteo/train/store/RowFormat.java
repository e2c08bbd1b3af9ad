package io.osteo.train.store;

/**
 * Byte layout of one stored vertebra (a row), little-endian: HU as int16 for every voxel (x
 * fastest, then y, then z), then the M maps as IEEE half, channel after channel (every voxel, or
 * the axial mid-slice only), then the ROI as bits (voxel i is bit i % 8 of byte i / 8), zero
 * padding to a multiple of 8 bytes.
 */
record RowFormat(int nx, int ny, int nz, int maps, boolean mapsMidSlice) {

    int voxels() {
        return nx * ny * nz;
    }

    int sliceVoxels() {
        return nx * ny;
    }

    int mapVoxels() {
        return mapsMidSlice ? sliceVoxels() : voxels();
    }

    int midSlice() {
        return nz / 2;
    }

    long huOffset(int voxel) {
        return 2L * voxel;
    }

    /** Offset of map {@code c} (0-based among the maps) at its voxel {@code i} (within the map's voxels). */
    long mapOffset(int c, int i) {
        return 2L * voxels() + 2L * ((long) c * mapVoxels() + i);
    }

    long roiOffset() {
        return 2L * voxels() + 2L * maps * mapVoxels();
    }

    long rowBytes() {
        long end = roiOffset() + (voxels() + 7) / 8;
        return (end + 7) / 8 * 8;
    }
}
