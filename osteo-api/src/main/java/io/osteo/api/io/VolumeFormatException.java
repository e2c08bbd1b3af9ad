package io.osteo.api.io;

import io.osteo.api.OsteoException;
import java.nio.file.Path;

/**
 * A volume file that cannot be read or written as asked: missing or unreadable, wrong magic,
 * truncated, an unsupported datatype or dimensionality, a header that contradicts itself or the
 * file length. The message starts with the file and then names the problem.
 */
public class VolumeFormatException extends OsteoException {
    private static final long serialVersionUID = 1L;

    private final String file;

    public VolumeFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = String.valueOf(file);
    }

    public VolumeFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = String.valueOf(file);
    }

    /** The file the problem is about, as given by the caller. */
    public String file() {
        return file;
    }
}
