package dev.digestflow.sink.write;

import java.io.IOException;
import java.util.Set;

import org.elasticsearch.client.ResponseException;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;

/**
 * How the sink treats each outcome of a bulk item or of a whole bulk request. The classes decide
 * everything that follows: commit, dead-letter, retry or stop.
 */
public enum FailureClass {
    /** Indexed. */
    OK,
    /** A newer version is already indexed (a replay or a late retry): nothing to do. */
    VERSION_CONFLICT,
    /** The document itself is bad: it goes to the DLQ under the malformed policy. */
    MALFORMED,
    /** Overload (429), a server-side failure (5xx) or no connection: retried with backoff, never dropped. */
    RETRYABLE,
    /** Anything else, e.g. a missing alias, bad credentials or a closed index: stop loudly, commit nothing past it. */
    FATAL;

    private static final Set<String> MALFORMED_TYPES = Set.of("mapper_parsing_exception", "document_parsing_exception",
            "illegal_argument_exception", "strict_dynamic_mapping_exception", "mapper_exception", "json_parse_exception",
            "x_content_parse_exception");

    /** One item of a bulk response. */
    public static FailureClass ofItem(int status, String errorType) {
        if (errorType == null && status >= 200 && status < 300) {
            return OK;
        }
        if ("version_conflict_engine_exception".equals(errorType)) {
            return VERSION_CONFLICT;
        }
        if (status == 429 || status >= 500) {
            return RETRYABLE;
        }
        if (errorType != null && MALFORMED_TYPES.contains(errorType)) {
            return MALFORMED;
        }
        return FATAL;
    }

    /** A whole bulk request that got no per-item answer. */
    public static FailureClass ofRequest(Throwable failure) {
        Integer status = statusOf(failure);
        if (status != null) {
            return status == 429 || status >= 500 ? RETRYABLE : FATAL;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // Connection refused, reset or timed out; the low-level client surfaces them as IOExceptions.
            if (t instanceof IOException) {
                return RETRYABLE;
            }
        }
        return FATAL;
    }

    /** The HTTP status in a request failure, when there was a response at all. */
    public static Integer statusOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ElasticsearchException es) {
                return es.status();
            }
            if (t instanceof ResponseException re) {
                return re.getResponse().getStatusLine().getStatusCode();
            }
            if (t instanceof TransportException te && te.statusCode() > 0) {
                return te.statusCode();
            }
        }
        return null;
    }
}
