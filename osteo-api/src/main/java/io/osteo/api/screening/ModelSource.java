package io.osteo.api.screening;

import io.osteo.api.InvalidInputException;
import java.nio.file.Path;

/**
 * Where a model-backed screener gets its model. {@link #directory(Path)} is the packaged model
 * directory (parameters + JSON descriptor); the model module adds further sources (a DJL
 * {@code Criteria}). Implementations are immutable values.
 */
public interface ModelSource {

    /** A packaged model directory as written by the model module's packager. */
    static ModelSource directory(Path directory) {
        return new Directory(directory);
    }

    /** A packaged model directory. */
    record Directory(Path path) implements ModelSource {
        public Directory {
            if (path == null) {
                throw new InvalidInputException("model directory is missing");
            }
        }
    }
}
