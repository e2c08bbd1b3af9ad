package io.osteo.api.io.dicom;

import io.osteo.api.volume.Volume;
import java.util.List;

/**
 * A DICOM series read as a CT volume in HU on its LPS grid, with the series it came from.
 *
 * @param volume the voxels in HU (x along the row direction, y along the column direction, z along
 *        the slice normal in increasing position)
 * @param series the series read
 * @param notes what the reader did that a user may want to know (localizers left out, padding
 *        replaced, non-image objects skipped); empty when nothing
 */
public record DicomVolume(Volume volume, DicomSeries series, List<String> notes) {
    public DicomVolume {
        notes = List.copyOf(notes);
    }
}
