package dev.digestflow.sink.write;

import dev.digestflow.sink.config.SinkConfig.MalformedPolicy;

/**
 * What the worker does with one record once Elasticsearch answered for it: a pure function of the
 * answer's {@link FailureClass} and the malformed-document policy. Only the first two resolve the record
 * for the commit at once; a dead letter resolves it when the DLQ acknowledged it; a retry keeps it
 * unresolved; a failure stops the worker before any commit passes it.
 */
public enum BulkDecision {
    /** Indexed: resolved. */
    INDEXED,
    /** A newer or equal version is already indexed (a replay): resolved, nothing changes. */
    CONFLICT_IGNORED,
    /** ES is overloaded or unavailable: re-queued after a backoff, unresolved until then. */
    RETRY,
    /** Malformed, policy {@code dlq}: resolved once the dead letter is acknowledged. */
    DEAD_LETTER,
    /** Malformed, policy {@code warn}: logged, counted, resolved. */
    SKIP,
    /** Malformed with policy {@code fail}, or an error that neither a retry nor the DLQ can fix: the worker stops. */
    FAIL;

    /** The decision for one bulk item answer. */
    public static BulkDecision of(int status, String errorType, MalformedPolicy policy) {
        return switch (FailureClass.ofItem(status, errorType)) {
            case OK -> INDEXED;
            case VERSION_CONFLICT -> CONFLICT_IGNORED;
            case RETRYABLE -> RETRY;
            case MALFORMED -> switch (policy) {
                case DLQ -> DEAD_LETTER;
                case WARN -> SKIP;
                case FAIL -> FAIL;
            };
            case FATAL -> FAIL;
        };
    }

    /** The decision for every record of a bulk request that failed as a whole. */
    public static BulkDecision ofRequest(Throwable failure) {
        return FailureClass.ofRequest(failure) == FailureClass.RETRYABLE ? RETRY : FAIL;
    }
}
