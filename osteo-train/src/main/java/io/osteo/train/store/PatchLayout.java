package io.osteo.train.store;

import io.osteo.api.InvalidInputException;

/**
 * How a {@link CohortStore} hands out a stored 3D patch (nz x ny x nx voxels, x fastest):
 *
 * <ul>
 *   <li>{@link #volume()}: the whole patch, shape [D, H, W]; channel 0 HU, channels 1..M the maps.</li>
 *   <li>{@link #midSlice()}: the axial mid-slice z = nz / 2, shape [H, W]; channel 0 HU, channels
 *       1..M the maps of that slice (2D budgets).</li>
 *   <li>{@link #slab(int) slab(k)} ("2.5D"): shape [H, W]; channels 0..k-1 are the HU of the k
 *       adjacent axial slices z = nz/2 - (k-1)/2 ... nz/2 + (k-1)/2 in increasing z (the
 *       mid-slice is channel (k-1)/2), then channels k..k+M-1 the maps of the mid-slice.
 *       {@code slab(1)} equals {@link #midSlice()}.</li>
 * </ul>
 *
 * @param kind the layout
 * @param slices number of HU slices (1 for VOLUME and MID_SLICE; odd, &gt;= 1 for SLAB)
 */
public record PatchLayout(Kind kind, int slices) {

    /** The layouts. */
    public enum Kind {
        VOLUME,
        MID_SLICE,
        SLAB
    }

    public PatchLayout {
        if (kind == null) {
            throw new InvalidInputException("patch layout kind is missing");
        }
        if (kind != Kind.SLAB && slices != 1) {
            throw new InvalidInputException(kind + " layout has one HU channel, got " + slices);
        }
        if (kind == Kind.SLAB && (slices < 1 || slices % 2 == 0)) {
            throw new InvalidInputException("a 2.5D slab needs an odd number of slices >= 1 (centred on the mid-slice), got "
                    + slices);
        }
    }

    /** The whole 3D patch [D, H, W]. */
    public static PatchLayout volume() {
        return new PatchLayout(Kind.VOLUME, 1);
    }

    /** The axial mid-slice [H, W]. */
    public static PatchLayout midSlice() {
        return new PatchLayout(Kind.MID_SLICE, 1);
    }

    /** {@code k} adjacent axial HU slices around the mid-slice as channels, then the mid-slice maps (2.5D). */
    public static PatchLayout slab(int k) {
        return k == 1 ? midSlice() : new PatchLayout(Kind.SLAB, k);
    }

    /** Number of HU channels at the front of each patch. */
    public int huChannels() {
        return slices;
    }

    /** True when patches are 2D [H, W]. */
    public boolean isPlanar() {
        return kind != Kind.VOLUME;
    }
}
