package io.osteo.api.io.dicom;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/** Test fixture: seeded synthetic CT series written with {@link DicomTestWriter}. */
final class Fixtures {
    private Fixtures() {
    }

    /** A written series and what reading it must give. */
    record Written(List<DicomTestWriter.Image> images, List<Path> files, float[] expectedHu) {
    }

    /**
     * Writes an nx x ny x nz series into {@code dir}: slices along the normal of the orientation
     * with {@code step} mm, file names and InstanceNumbers shuffled (so only positions give the
     * order). {@code config} adjusts every image after the defaults; samples are drawn after it so
     * they fit the configured bits.
     */
    static Written series(Path dir, int nx, int ny, int nz, double step, long seed,
            Consumer<DicomTestWriter.Image> config) {
        Random rnd = new Random(seed);
        List<DicomTestWriter.Image> images = new ArrayList<>();
        float[] expected = new float[nx * ny * nz];
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < nz; k++) {
            order.add(k);
        }
        Collections.shuffle(order, rnd);
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < nz; k++) {
            DicomTestWriter.Image im = new DicomTestWriter.Image(nx, ny, null);
            im.position = new double[] {-100.5, -80.25, 40};
            config.accept(im);
            double[] n = normal(im.orientation);
            im.position = new double[] {
                im.position[0] + k * step * n[0], im.position[1] + k * step * n[1], im.position[2] + k * step * n[2]};
            im.instanceNumber = order.get(k) + 1;
            im.samples = samples(im, nx * ny, rnd);
            for (int i = 0; i < nx * ny; i++) {
                double slope = im.slope == null ? 1 : im.slope;
                double intercept = im.intercept == null ? 0 : im.intercept;
                expected[k * nx * ny + i] = (float) (im.samples[i] * slope + intercept);
            }
            images.add(im);
            Path file = dir.resolve(String.format("IMG%04d.dcm", order.get(k)));
            DicomTestWriter.write(im, file);
            files.add(file);
        }
        return new Written(images, files, expected);
    }

    /** Random stored samples in the image's range, with its extremes present. */
    static int[] samples(DicomTestWriter.Image im, int n, Random rnd) {
        long lo = im.signed ? -(1L << (im.bitsStored - 1)) : 0;
        long hi = im.signed ? (1L << (im.bitsStored - 1)) - 1 : (1L << im.bitsStored) - 1;
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            if (i == 0) {
                s[i] = (int) lo;
            } else if (i == 1) {
                s[i] = (int) hi;
            } else if (rnd.nextInt(4) == 0) {
                s[i] = (int) (lo + (long) (rnd.nextDouble() * (hi - lo + 1)));
            } else { // CT-like values, clamped to the range
                long v = -1024 + rnd.nextInt(3000) + (im.signed ? 0 : 1024);
                s[i] = (int) Math.max(lo, Math.min(hi, v));
            }
        }
        return s;
    }

    static double[] normal(double[] o) {
        return new double[] {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
    }
}
