package io.osteo.api.io.dicom;

import java.nio.file.Path;

/**
 * The header of one image file of a series, as the series builder needs it: identity, geometry
 * (LPS mm) and pixel module.
 */
record DicomSlice(Path file, String seriesUid, String seriesDescription, int seriesNumber, String modality,
        String imageType, int instanceNumber, double[] position, double[] orientation, double[] pixelSpacing,
        double sliceThickness, double spacingBetweenSlices, PixelFormat format, TransferSyntax syntax) {

    static DicomSlice of(DicomDataSet ds) {
        Path file = ds.file();
        int frames = ds.integerString(Tags.NUMBER_OF_FRAMES, 1);
        if (frames != 1) {
            throw new DicomFormatException(file, "multi-frame image (" + frames + " frames, enhanced CT) is not"
                    + " supported: export the series as one file per slice");
        }
        PixelFormat format = PixelFormat.of(ds);
        double[] position = require(ds, Tags.IMAGE_POSITION_PATIENT, 3);
        double[] orientation = require(ds, Tags.IMAGE_ORIENTATION_PATIENT, 6);
        double[] spacing = require(ds, Tags.PIXEL_SPACING, 2);
        if (!(spacing[0] > 0 && spacing[1] > 0)) {
            throw new DicomFormatException(file, "PixelSpacing (0028,0030) must be positive, got " + spacing[0] + "\\"
                    + spacing[1]);
        }
        String uid = ds.string(Tags.SERIES_INSTANCE_UID);
        return new DicomSlice(file, uid == null ? "" : uid, ds.string(Tags.SERIES_DESCRIPTION),
                ds.integerString(Tags.SERIES_NUMBER, -1), ds.string(Tags.MODALITY), ds.string(0x00080008),
                ds.integerString(Tags.INSTANCE_NUMBER, Integer.MIN_VALUE), position, orientation, spacing,
                ds.decimal(Tags.SLICE_THICKNESS, Double.NaN), ds.decimal(Tags.SPACING_BETWEEN_SLICES, Double.NaN),
                format, ds.syntax());
    }

    private static double[] require(DicomDataSet ds, int tag, int count) {
        double[] v = ds.decimals(tag);
        if (v == null) {
            throw new DicomFormatException(ds.file(), "image has no " + Tags.name(tag) + ": its place in the"
                    + " patient is unknown");
        }
        if (v.length != count) {
            throw new DicomFormatException(ds.file(), Tags.name(tag) + " has " + v.length + " values, " + count
                    + " expected");
        }
        return v;
    }

    /** True for scout/localizer images (ImageType contains LOCALIZER). */
    boolean localizer() {
        return imageType != null && imageType.toUpperCase(java.util.Locale.ROOT).contains("LOCALIZER");
    }

    /** The slice normal: row direction x column direction (unit when the orientation is valid). */
    double[] normal() {
        double[] r = orientation;
        return new double[] {
            r[1] * r[5] - r[2] * r[4],
            r[2] * r[3] - r[0] * r[5],
            r[0] * r[4] - r[1] * r[3]
        };
    }
}
