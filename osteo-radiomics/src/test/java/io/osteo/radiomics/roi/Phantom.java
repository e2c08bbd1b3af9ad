package io.osteo.radiomics.roi;

import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;

/**
 * A synthetic vertebra on a 1 mm grid with LPS-identity directions (y grows posterior, z cranial):
 * an elliptic-cylinder body (trabecular HU {@link #TRABECULAR}, a 1 mm cortical rim of
 * {@link #CORTEX}) and a posterior arch block ({@link #ARCH} HU) behind it, soft tissue 40 HU around.
 */
final class Phantom {
    static final float TRABECULAR = 150f;
    static final float CORTEX = 700f;
    static final float ARCH = 400f;
    static final float TISSUE = 40f;

    final Volume ct;
    final LabelMap labels;

    /**
     * @param nz slices of the image
     * @param bodyZ0 first slice of the body (may be negative: cut by the caudal edge)
     * @param bodyHeight body height in slices (mm)
     * @param label the label value
     * @param flipY store the y axis reversed (direction -1) while keeping the same world anatomy
     */
    Phantom(int nz, int bodyZ0, int bodyHeight, int label, boolean flipY) {
        int nx = 48;
        int ny = 64;
        float[] v = new float[nx * ny * nz];
        int[] l = new int[v.length];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int sy = flipY ? ny - 1 - y : y; // anatomical y (LPS world y grows with sy)
                    int i = x + nx * (y + ny * z);
                    v[i] = TISSUE;
                    boolean inZ = z >= bodyZ0 && z < bodyZ0 + bodyHeight;
                    double ex = (x - 24) / 16.0;
                    double ey = (sy - 22) / 13.0;
                    double r = ex * ex + ey * ey;
                    if (inZ && r <= 1) {
                        boolean rim = r > 0.85 || z == bodyZ0 || z == bodyZ0 + bodyHeight - 1;
                        v[i] = rim ? CORTEX : TRABECULAR;
                        l[i] = label;
                    } else if (inZ && sy >= 35 && sy < 50 && Math.abs(x - 24) <= 5) {
                        v[i] = ARCH;
                        l[i] = label;
                    }
                }
            }
        }
        double[] dir = flipY ? new double[] {1, 0, 0, 0, -1, 0, 0, 0, 1} : new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
        double[] origin = {-24, flipY ? 63 : 0, 100};
        ImageGeometry g = new ImageGeometry(nx, ny, nz, new double[] {1, 1, 1}, origin, dir);
        this.ct = Volume.wrap(g, v);
        this.labels = LabelMap.wrap(g, l);
    }
}
