package io.osteo.model.device;

import io.osteo.api.OsteoException;

/** A requested compute device does not exist or cannot be parsed; the message lists those present. */
public class DeviceUnavailableException extends OsteoException {
    private static final long serialVersionUID = 1L;

    public DeviceUnavailableException(String message) {
        super(message);
    }
}
