package io.osteo.radiomics.roi;

/**
 * A binary mask held only inside its bounding box: {@code lo} is the box's first voxel in the image,
 * {@code size} its extent, {@code inside} the box's voxels x-fastest. Keeps memory proportional to
 * one vertebra, not to the whole CT. Package-private working type of the ROI extractor.
 */
final class MaskRegion {
    final int[] lo;
    final int[] size;
    final boolean[] inside;

    MaskRegion(int[] lo, int[] size, boolean[] inside) {
        this.lo = lo.clone();
        this.size = size.clone();
        this.inside = inside;
    }

    int index(int x, int y, int z) {
        return x + size[0] * (y + size[1] * z);
    }

    int count() {
        int n = 0;
        for (boolean b : inside) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    /** Inclusive min and max image index of the set voxels along {@code axis}; {-1, -1} if empty. */
    int[] extent(int axis) {
        int min = Integer.MAX_VALUE;
        int max = -1;
        for (int z = 0; z < size[2]; z++) {
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++) {
                    if (inside[index(x, y, z)]) {
                        int c = switch (axis) {
                            case 0 -> x;
                            case 1 -> y;
                            default -> z;
                        };
                        min = Math.min(min, c);
                        max = Math.max(max, c);
                    }
                }
            }
        }
        return max < 0 ? new int[] {-1, -1} : new int[] {lo[axis] + min, lo[axis] + max};
    }

    /** Mean image index of the set voxels along {@code axis}. */
    double centroid(int axis) {
        double sum = 0;
        long n = 0;
        for (int z = 0; z < size[2]; z++) {
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++) {
                    if (inside[index(x, y, z)]) {
                        sum += switch (axis) {
                            case 0 -> x;
                            case 1 -> y;
                            default -> z;
                        };
                        n++;
                    }
                }
            }
        }
        return lo[axis] + sum / n;
    }

    /**
     * The largest 26-connected component; {@code dropped[0]} receives the number of voxels in
     * other components, {@code dropped[1]} the number of those components.
     */
    MaskRegion largestComponent(int[] dropped) {
        int[] component = new int[inside.length];
        int[] queue = new int[inside.length];
        int best = 0;
        int bestSize = 0;
        int total = 0;
        int components = 0;
        int next = 0;
        for (int start = 0; start < inside.length; start++) {
            if (!inside[start] || component[start] != 0) {
                continue;
            }
            next++;
            components++;
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            component[start] = next;
            while (head < tail) {
                int v = queue[head++];
                int x = v % size[0];
                int y = (v / size[0]) % size[1];
                int z = v / (size[0] * size[1]);
                for (int dz = -1; dz <= 1; dz++) {
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int nx = x + dx;
                            int ny = y + dy;
                            int nz = z + dz;
                            if (nx < 0 || ny < 0 || nz < 0 || nx >= size[0] || ny >= size[1] || nz >= size[2]) {
                                continue;
                            }
                            int w = index(nx, ny, nz);
                            if (inside[w] && component[w] == 0) {
                                component[w] = next;
                                queue[tail++] = w;
                            }
                        }
                    }
                }
            }
            total += tail;
            if (tail > bestSize) {
                bestSize = tail;
                best = next;
            }
        }
        dropped[0] = total - bestSize;
        dropped[1] = Math.max(0, components - 1);
        boolean[] keep = new boolean[inside.length];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = component[i] == best && best != 0;
        }
        return new MaskRegion(lo, size, keep);
    }

    /**
     * Erosion by an ellipsoid of radius {@code radiusMm} in world units: a voxel stays if every
     * voxel whose centre lies within the ellipsoid around it is set. Voxels outside the box count as
     * unset. With a radius below every spacing this is the identity.
     */
    MaskRegion erode(double[] spacing, double radiusMm) {
        int[] r = new int[3];
        for (int a = 0; a < 3; a++) {
            r[a] = (int) Math.floor(radiusMm / spacing[a] + 1e-9);
        }
        java.util.List<int[]> offsets = new java.util.ArrayList<>();
        for (int dz = -r[2]; dz <= r[2]; dz++) {
            for (int dy = -r[1]; dy <= r[1]; dy++) {
                for (int dx = -r[0]; dx <= r[0]; dx++) {
                    double d = sq(dx * spacing[0] / radiusMm) + sq(dy * spacing[1] / radiusMm)
                            + sq(dz * spacing[2] / radiusMm);
                    if ((dx != 0 || dy != 0 || dz != 0) && d <= 1 + 1e-9) {
                        offsets.add(new int[] {dx, dy, dz});
                    }
                }
            }
        }
        boolean[] out = new boolean[inside.length];
        for (int z = 0; z < size[2]; z++) {
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++) {
                    int i = index(x, y, z);
                    if (!inside[i]) {
                        continue;
                    }
                    boolean keep = true;
                    for (int[] o : offsets) {
                        int nx = x + o[0];
                        int ny = y + o[1];
                        int nz = z + o[2];
                        if (nx < 0 || ny < 0 || nz < 0 || nx >= size[0] || ny >= size[1] || nz >= size[2]
                                || !inside[index(nx, ny, nz)]) {
                            keep = false;
                            break;
                        }
                    }
                    out[i] = keep;
                }
            }
        }
        return new MaskRegion(lo, size, out);
    }

    private static double sq(double v) {
        return v * v;
    }
}
