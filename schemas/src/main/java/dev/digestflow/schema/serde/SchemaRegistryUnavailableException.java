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

    /**
     * For a registry answer that says nothing about the record (it cannot answer, or it refused the
     * credentials), or null when the answer is about the record and it may be dead-lettered. The
     * serializer and the deserializer decide with this one rule.
     *
     * @param what what was asked for, e.g. "writer schema id 7"
     */
    public static SchemaRegistryUnavailableException forAnswer(dev.digestflow.schema.registry.SchemaRegistryException e, String what) {
        if (e.credentialsRefused()) {
            // Credentials are configuration, not the record's fault: dead-lettering here would empty the topic into the DLQ.
            return new SchemaRegistryUnavailableException("schema registry refused this service's credentials (HTTP " + e.httpStatus() + ") for "
                    + what + "; the record is kept and retried: check basic.auth.credentials.source and basic.auth.user.info", e);
        }
        if (e.retriable()) {
            return new SchemaRegistryUnavailableException("schema registry unavailable for " + what + " (the record is kept and retried): "
                    + e.getMessage(), e);
        }
        return null;
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
