package io.osteo.api.io.dicom;

import java.nio.file.Path;
import java.util.List;

/**
 * A folder holds several image series and none was chosen: the message lists each (UID,
 * description, slice count, orientation); choose one with
 * {@link DicomSeriesReader.Builder#seriesUid(String)} ({@code --series UID} on the command line) or
 * the {@link SeriesSelection#LARGEST_AXIAL_CT} policy.
 */
public class MultipleSeriesException extends DicomFormatException {
    private static final long serialVersionUID = 1L;

    private final transient List<DicomSeries> series;

    public MultipleSeriesException(Path folder, List<DicomSeries> series) {
        super(folder, "holds " + series.size() + " image series; choose one with --series UID (API: "
                + "DicomSeriesReader.builder().seriesUid(...)): " + String.join("; ",
                        series.stream().map(DicomSeries::summary).toList()));
        this.series = List.copyOf(series);
    }

    /** The series found, as listed in the message. */
    public List<DicomSeries> series() {
        return series;
    }
}
