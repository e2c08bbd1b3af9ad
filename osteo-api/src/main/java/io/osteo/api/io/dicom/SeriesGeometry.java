package io.osteo.api.io.dicom;

import io.osteo.api.InvalidInputException;
import io.osteo.api.volume.ImageGeometry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The LPS grid of a series from its slices' ImagePositionPatient, ImageOrientationPatient and
 * PixelSpacing: slices sorted by the projection of their position on the slice normal, spacing
 * measured from those projections, and every check of {@code dicom.md} on the way (one orientation,
 * one pixel size, one image size, orthonormal directions, no duplicate, uniform steps, no in-plane
 * drift).
 */
record SeriesGeometry(ImageGeometry geometry, List<DicomSlice> slices) {
    /** Largest disagreement of direction cosines between slices, and of their unit length / orthogonality. */
    static final double DIRECTION_TOLERANCE = 1e-3;
    /** Largest disagreement of PixelSpacing between slices, mm. */
    static final double PIXEL_TOLERANCE = 1e-3;
    /** Absolute slack on positions, mm (DS values are rounded). */
    static final double POSITION_SLACK = 1e-3;
    /** Largest in-plane drift per mm along the normal (tan of about 0.6 degrees). */
    static final double DRIFT_PER_MM = 0.01;

    static SeriesGeometry of(Path folder, List<DicomSlice> input, double spacingTolerance) {
        DicomSlice first = input.get(0);
        double[] iop = first.orientation();
        double[] r = {iop[0], iop[1], iop[2]};
        double[] c = {iop[3], iop[4], iop[5]};
        double nr = norm(r);
        double nc = norm(c);
        if (Math.abs(nr - 1) > DIRECTION_TOLERANCE || Math.abs(nc - 1) > DIRECTION_TOLERANCE
                || Math.abs(dot(r, c)) > DIRECTION_TOLERANCE) {
            throw new DicomFormatException(first.file(), "ImageOrientationPatient " + Arrays.toString(iop)
                    + " is not two orthogonal unit vectors");
        }
        r = scale(r, 1 / nr);
        c = scale(c, 1 / nc);
        double[] n = cross(r, c);
        n = scale(n, 1 / norm(n));
        PixelFormat f0 = first.format();
        double[] ps = first.pixelSpacing();
        for (DicomSlice s : input) {
            double[] o = s.orientation();
            for (int i = 0; i < 6; i++) {
                if (Math.abs(o[i] - iop[i]) > DIRECTION_TOLERANCE) {
                    throw new DicomFormatException(folder, "mixed orientations in series " + first.seriesUid() + ": "
                            + first.file().getFileName() + " has " + Arrays.toString(iop) + ", "
                            + s.file().getFileName() + " has " + Arrays.toString(o));
                }
            }
            double[] p = s.pixelSpacing();
            if (Math.abs(p[0] - ps[0]) > PIXEL_TOLERANCE || Math.abs(p[1] - ps[1]) > PIXEL_TOLERANCE) {
                throw new DicomFormatException(folder, "mixed pixel sizes in series " + first.seriesUid() + ": "
                        + first.file().getFileName() + " has " + ps[0] + "\\" + ps[1] + " mm, "
                        + s.file().getFileName() + " has " + p[0] + "\\" + p[1] + " mm");
            }
            PixelFormat f = s.format();
            if (!f.sameLayout(f0)) {
                throw new DicomFormatException(folder, "mixed image sizes in series " + first.seriesUid() + ": "
                        + first.file().getFileName() + " is " + f0.columns() + "x" + f0.rows() + ", "
                        + s.file().getFileName() + " is " + f.columns() + "x" + f.rows());
            }
        }
        final double[] normal = n;
        List<DicomSlice> sorted = new ArrayList<>(input);
        sorted.sort(Comparator.comparingDouble((DicomSlice s) -> dot(s.position(), normal))
                .thenComparing(s -> s.file().toString()));
        int count = sorted.size();
        double[] d = new double[count];
        for (int k = 0; k < count; k++) {
            d[k] = dot(sorted.get(k).position(), normal);
        }
        double[] p0 = sorted.get(0).position();
        for (int k = 1; k < count; k++) {
            if (d[k] - d[k - 1] < POSITION_SLACK) {
                throw new DicomFormatException(folder, "duplicate slice position " + fmt(d[k]) + " mm along the normal in"
                        + " series " + first.seriesUid() + ": " + sorted.get(k - 1).file().getFileName() + " and "
                        + sorted.get(k).file().getFileName());
            }
        }
        double dz;
        if (count == 1) {
            dz = first.spacingBetweenSlices() > 0 ? first.spacingBetweenSlices()
                    : first.sliceThickness() > 0 ? first.sliceThickness() : 1.0;
        } else {
            double[] steps = new double[count - 1];
            for (int k = 1; k < count; k++) {
                steps[k - 1] = d[k] - d[k - 1];
            }
            double[] sortedSteps = steps.clone();
            Arrays.sort(sortedSteps);
            double median = sortedSteps[sortedSteps.length / 2];
            int worst = 0;
            for (int k = 1; k < steps.length; k++) {
                if (Math.abs(steps[k] - median) > Math.abs(steps[worst] - median)) {
                    worst = k;
                }
            }
            double step = steps[worst];
            if (Math.abs(step - median) > spacingTolerance * median + POSITION_SLACK) {
                int missing = (int) Math.round(step / median) - 1;
                throw new DicomFormatException(folder, "non-uniform slice spacing in series " + first.seriesUid()
                        + ": " + fmt(step) + " mm between " + sorted.get(worst).file().getFileName() + " and "
                        + sorted.get(worst + 1).file().getFileName() + " where the usual step is " + fmt(median)
                        + " mm" + (missing > 0 ? " (about " + missing + " missing slice" + (missing > 1 ? "s" : "")
                                + ")" : "") + "; tolerance " + fmt(100 * spacingTolerance) + " %");
            }
            dz = (d[count - 1] - d[0]) / (count - 1);
            for (int k = 1; k < count; k++) {
                double[] delta = sub(sorted.get(k).position(), p0);
                double inPlane = Math.hypot(dot(delta, r), dot(delta, c));
                if (inPlane > DRIFT_PER_MM * (d[k] - d[0]) + POSITION_SLACK * 10) {
                    throw new DicomFormatException(folder, "slice positions of series " + first.seriesUid()
                            + " drift " + fmt(inPlane) + " mm in-plane over " + fmt(d[k] - d[0])
                            + " mm along the normal (gantry tilt or sheared stack, "
                            + fmt(Math.toDegrees(Math.atan2(inPlane, d[k] - d[0]))) + " degrees); resample it to an"
                            + " orthogonal grid first");
                }
            }
        }
        double[] direction = {
            r[0], c[0], n[0],
            r[1], c[1], n[1],
            r[2], c[2], n[2]
        };
        for (int i = 0; i < 9; i++) {
            direction[i] += 0.0; // no negative zeros
        }
        try {
            ImageGeometry g = new ImageGeometry(f0.columns(), f0.rows(), count, new double[] {ps[1], ps[0], dz},
                    p0.clone(), direction);
            return new SeriesGeometry(g, List.copyOf(sorted));
        } catch (InvalidInputException e) {
            throw new DicomFormatException(folder, "invalid series geometry: " + e.getMessage(), e);
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double[] scale(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }

    private static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }
}
