package org.nnunet.events;

/** A message that cannot be read as the expected event: invalid JSON, unsupported schema version, bad field. */
public class EventFormatException extends RuntimeException {

    public EventFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    public EventFormatException(String message) {
        super(message);
    }
}
