package dev.digestflow.schema.serde;

import java.util.Optional;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The bytes may be fine, but the schema registry could not answer for their schema id (refused
 * connection, timeout, 5xx, 429). A retry later can succeed, so a caller must never dead-letter the
 * record for this: it holds the record (pauses its partition, or fails the stream thread so that it
 * is re-read) and retries with backoff.
 *
 * <p>It stays a {@link SerializationException}, so code that only knows Kafka's contract still sees
 * a serialization failure; code that knows digestflow tells the two apart with {@link #in(Throwable)}.
 */
public class SchemaRegistryUnavailableException extends SerializationException {

    private static final long serialVersionUID = 1L;

    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** This exception anywhere in the cause chain (Kafka Streams wraps handler failures), if present. */
    public static Optional<SchemaRegistryUnavailableException> in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SchemaRegistryUnavailableException u) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }
}
