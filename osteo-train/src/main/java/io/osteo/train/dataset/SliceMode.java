package io.osteo.train.dataset;

/**
 * Which part of a 3D patch a dataset returns: the whole volume as [C, D, H, W] (D = z, H = y,
 * W = x), or a 2D mid-slice as [C, H, W] for 2D backbones.
 */
public enum SliceMode {
    /** The whole patch, [C, nz, ny, nx]. */
    VOLUME,
    /** The axial slice through the centre (z = nz / 2), [C, ny, nx]. */
    MID_AXIAL,
    /** The sagittal slice through the centre (x = nx / 2), [C, nz, ny]. */
    MID_SAGITTAL;

    /** Extracts the requested part of channel-major data; returns {values, shape}. */
    Object[] extract(ChannelCache.CachedPatch p) {
        int c = p.channels();
        int nx = p.nx();
        int ny = p.ny();
        int nz = p.nz();
        float[] d = p.data();
        int vox = nx * ny * nz;
        switch (this) {
            case VOLUME:
                return new Object[] {d, new long[] {c, nz, ny, nx}};
            case MID_AXIAL: {
                float[] out = new float[c * ny * nx];
                int z = nz / 2;
                for (int ch = 0; ch < c; ch++) {
                    System.arraycopy(d, ch * vox + z * nx * ny, out, ch * nx * ny, nx * ny);
                }
                return new Object[] {out, new long[] {c, ny, nx}};
            }
            case MID_SAGITTAL: {
                float[] out = new float[c * nz * ny];
                int x = nx / 2;
                for (int ch = 0; ch < c; ch++) {
                    for (int z = 0; z < nz; z++) {
                        for (int y = 0; y < ny; y++) {
                            out[ch * nz * ny + z * ny + y] = d[ch * vox + x + nx * (y + ny * z)];
                        }
                    }
                }
                return new Object[] {out, new long[] {c, nz, ny}};
            }
            default:
                throw new AssertionError(this);
        }
    }
}
