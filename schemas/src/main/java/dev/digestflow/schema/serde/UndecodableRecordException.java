package dev.digestflow.schema.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The record itself is wrong and no retry can fix it: a bad magic byte, a truncated or corrupt payload,
 * a schema id the registry does not know (404), or a writer schema the reader cannot resolve. Such a
 * record goes to the dead-letter topic with this message as its reason.
 */
public class UndecodableRecordException extends SerializationException {

    private static final long serialVersionUID = 1L;

    public UndecodableRecordException(String message) {
        super(message);
    }

    public UndecodableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
