package io.osteo.api.io.dicom;

/** How {@link DicomSeriesReader} chooses when a folder holds several image series and no UID is given. */
public enum SeriesSelection {
    /** Exactly one image series, else a {@link MultipleSeriesException} listing them (the default). */
    SINGLE,
    /** The axial CT series with the most slices (ties: the lower SeriesNumber, then UID); chosen explicitly. */
    LARGEST_AXIAL_CT
}
