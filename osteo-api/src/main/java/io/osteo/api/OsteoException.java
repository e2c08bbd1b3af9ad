package io.osteo.api;

/**
 * Base of every exception OsteoScreen throws on purpose. Subclasses name the input and the
 * problem in their message (a file path, a vertebra level, a device name), so a caller can log
 * the message as it is. Unchecked: bad input is a programming or data error the caller decides
 * how to handle, not a routine condition.
 */
public class OsteoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OsteoException(String message) {
        super(message);
    }

    public OsteoException(String message, Throwable cause) {
        super(message, cause);
    }
}
