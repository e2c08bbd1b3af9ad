package io.osteo.train.store;

import io.osteo.api.OsteoException;
import java.nio.file.Path;

/**
 * A cohort store that cannot be built or used: a shard file missing, truncated or corrupt (bad
 * magic, header or row checksum), a store built with other settings or from other files, a CT
 * patch whose values do not fit int16 HU. The message names the file and the problem; {@link
 * #file()} is that file (a shard, the index or a CT patch).
 */
public class CohortStoreException extends OsteoException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public CohortStoreException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public CohortStoreException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file the problem is about. */
    public Path file() {
        return file;
    }
}
