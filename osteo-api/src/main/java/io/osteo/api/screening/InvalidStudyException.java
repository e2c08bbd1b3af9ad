package io.osteo.api.screening;

import io.osteo.api.InvalidInputException;

/**
 * A study that cannot be screened as given: CT and label map on different grids, NaN or infinite
 * CT voxels, a label map without any vertebra of its scheme, an empty patch mask. The message
 * names the study and the problem (and the first bad voxel where there is one).
 */
public class InvalidStudyException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public InvalidStudyException(String message) {
        super(message);
    }

    public InvalidStudyException(String message, Throwable cause) {
        super(message, cause);
    }
}
