package io.osteo.model.packaging;

import io.osteo.api.OsteoException;
import java.nio.file.Path;

/** A model directory cannot be saved or loaded: the message names the directory and the problem. */
public class ModelPackageException extends OsteoException {
    private static final long serialVersionUID = 1L;

    public ModelPackageException(Path directory, String problem) {
        super("model directory " + directory + ": " + problem);
    }

    public ModelPackageException(Path directory, String problem, Throwable cause) {
        super("model directory " + directory + ": " + problem, cause);
    }
}
