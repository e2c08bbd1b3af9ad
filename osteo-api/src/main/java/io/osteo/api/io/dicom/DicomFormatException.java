package io.osteo.api.io.dicom;

import io.osteo.api.io.VolumeFormatException;
import java.nio.file.Path;

/**
 * A DICOM file or series that cannot be read as a CT volume: not DICOM, truncated, a lying
 * length, an unsupported transfer syntax or pixel format, or a series whose geometry is unusable
 * (missing or duplicate slices, mixed orientations or pixel sizes, gantry tilt). The message starts
 * with the file or folder and names the problem.
 */
public class DicomFormatException extends VolumeFormatException {
    private static final long serialVersionUID = 1L;

    public DicomFormatException(Path file, String problem) {
        super(file, problem);
    }

    public DicomFormatException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }
}
