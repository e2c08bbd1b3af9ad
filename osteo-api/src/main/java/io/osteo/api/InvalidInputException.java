package io.osteo.api;

/**
 * Input that is well-formed but unusable: NaN/Inf voxels, an empty mask, a grid mismatch, an
 * unknown level or device name, an out-of-range parameter. The message names the input and the
 * problem.
 */
public class InvalidInputException extends OsteoException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
