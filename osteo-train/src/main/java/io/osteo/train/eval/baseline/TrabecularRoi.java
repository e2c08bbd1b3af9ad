package io.osteo.train.eval.baseline;

import io.osteo.api.InvalidInputException;
import io.osteo.api.volume.ImageGeometry;

/**
 * The trabecular region the baselines measure, on a patch's own grid (x fastest, z slowest).
 * With a vertebral-body mask: the mask eroded by {@code erosionVoxels} to drop the cortical shell
 * (~1 mm, one or two voxels at 0.8 mm), with a face-connected structuring element, in 3D for the
 * ROI and in-plane (x-y) for the axial mid-slice {@code z = nz / 2}; an erosion step that would leave
 * nothing is not applied (a tiny mask keeps its last non-empty erosion). Without a mask: the central ellipsoid (ellipse in the slice) whose
 * semi-axes are {@code centralFraction} of the patch size along each axis (default 0.25: the
 * middle half). Immutable.
 *
 * @param erosionVoxels erosion depth in voxels, >= 0
 * @param centralFraction semi-axis of the mask-free region as a fraction of the patch size, in (0, 0.5]
 */
public record TrabecularRoi(int erosionVoxels, double centralFraction) {

    /** One voxel of erosion, central half without a mask. */
    public static final TrabecularRoi DEFAULT = new TrabecularRoi(1, 0.25);

    public TrabecularRoi {
        if (erosionVoxels < 0 || !(centralFraction > 0 && centralFraction <= 0.5)) {
            throw new InvalidInputException("trabecular ROI needs erosionVoxels >= 0 and centralFraction in (0, 0.5], got "
                    + erosionVoxels + " and " + centralFraction);
        }
    }

    /** The 3D ROI of the whole patch. */
    public boolean[] volume(ImageGeometry g, boolean[] bodyMask) {
        boolean[] roi = bodyMask == null ? central(g.nx(), g.ny(), g.nz()) : erode(bodyMask, g.nx(), g.ny(), g.nz(), true);
        return requireNonEmpty(roi, "3D");
    }

    /** The ROI of the axial mid-slice {@code z = nz / 2}, as an {@code nx * ny} mask. */
    public boolean[] midSlice(ImageGeometry g, boolean[] bodyMask) {
        int nx = g.nx();
        int ny = g.ny();
        int z = g.nz() / 2;
        boolean[] roi;
        if (bodyMask == null) {
            roi = central(nx, ny, 1);
        } else {
            boolean[] slice = new boolean[nx * ny];
            System.arraycopy(bodyMask, z * nx * ny, slice, 0, nx * ny);
            roi = erode(slice, nx, ny, 1, false);
        }
        return requireNonEmpty(roi, "mid-slice");
    }

    private boolean[] central(int nx, int ny, int nz) {
        boolean[] m = new boolean[nx * ny * nz];
        double cx = (nx - 1) / 2.0;
        double cy = (ny - 1) / 2.0;
        double cz = (nz - 1) / 2.0;
        double ax = Math.max(0.5, centralFraction * nx);
        double ay = Math.max(0.5, centralFraction * ny);
        double az = Math.max(0.5, centralFraction * nz);
        int i = 0;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++, i++) {
                    double dx = (x - cx) / ax;
                    double dy = (y - cy) / ay;
                    double dz = nz == 1 ? 0 : (z - cz) / az;
                    m[i] = dx * dx + dy * dy + dz * dz <= 1;
                }
            }
        }
        return m;
    }

    private boolean[] erode(boolean[] mask, int nx, int ny, int nz, boolean alongZ) {
        boolean[] cur = mask.clone();
        for (int step = 0; step < erosionVoxels; step++) {
            boolean[] next = new boolean[cur.length];
            int i = 0;
            for (int z = 0; z < nz; z++) {
                for (int y = 0; y < ny; y++) {
                    for (int x = 0; x < nx; x++, i++) {
                        if (!cur[i]) continue;
                        boolean keep = x > 0 && x < nx - 1 && y > 0 && y < ny - 1 && cur[i - 1] && cur[i + 1]
                                && cur[i - nx] && cur[i + nx];
                        if (keep && alongZ && nz > 1) {
                            keep = z > 0 && z < nz - 1 && cur[i - nx * ny] && cur[i + nx * ny];
                        }
                        next[i] = keep;
                    }
                }
            }
            if (count(next) == 0) {
                return cur; // eroded away: keep the last non-empty region
            }
            cur = next;
        }
        return cur;
    }

    private static int count(boolean[] m) {
        int n = 0;
        for (boolean b : m) n += b ? 1 : 0;
        return n;
    }

    private static boolean[] requireNonEmpty(boolean[] roi, String what) {
        if (count(roi) == 0) {
            throw new InvalidInputException("the " + what + " trabecular ROI is empty (empty body mask)");
        }
        return roi;
    }
}
