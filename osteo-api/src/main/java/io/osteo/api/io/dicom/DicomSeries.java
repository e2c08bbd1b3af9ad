package io.osteo.api.io.dicom;

import java.nio.file.Path;

/**
 * One image series found in a folder: what the error listing of several series and the
 * {@code convert} summary show to let a user choose.
 *
 * @param seriesInstanceUid SeriesInstanceUID (0020,000E); empty when the files carry none
 * @param seriesNumber SeriesNumber, -1 when absent
 * @param description SeriesDescription, or null
 * @param modality Modality (CT, MR, ...), or null when absent
 * @param sliceCount image files of the series (localizers excluded)
 * @param orientation AXIAL, CORONAL, SAGITTAL or OBLIQUE (from the slice normal), MIXED when its
 *        slices disagree
 * @param columns pixels per row
 * @param rows pixels per column
 * @param transferSyntax transfer syntax of its first file
 * @param firstFile one of its files (sorted by path)
 */
public record DicomSeries(String seriesInstanceUid, int seriesNumber, String description, String modality,
        int sliceCount, String orientation, int columns, int rows, TransferSyntax transferSyntax, Path firstFile) {

    /** One line for listings: "1.2.3 (#3 'Abdomen 1.0 B30f', CT, 300 slices, AXIAL, 512x512)". */
    public String summary() {
        return (seriesInstanceUid.isEmpty() ? "(no SeriesInstanceUID)" : seriesInstanceUid) + " ("
                + (seriesNumber >= 0 ? "#" + seriesNumber + " " : "")
                + (description == null ? "no description" : "'" + description + "'") + ", "
                + (modality == null ? "no modality" : modality) + ", " + sliceCount + " slice"
                + (sliceCount == 1 ? "" : "s") + ", " + orientation + ", " + columns + "x" + rows + ")";
    }

    /** True for a CT series whose slices are axial. */
    public boolean axialCt() {
        return "CT".equals(modality) && "AXIAL".equals(orientation);
    }
}
