package dev.digestflow.schema.registry;

/**
 * An error answered by a schema registry, with Confluent's HTTP status and {@code error_code}
 * (e.g. 404/40403 schema not found, 409/409 incompatible, 422/42201 invalid schema), or a failure to
 * reach it at all (status 0).
 */
public class SchemaRegistryException extends RuntimeException {

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    public static final int STORE_ERROR = 50001;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = 0;
        this.errorCode = 0;
    }

    /** HTTP status answered by the registry; 0 when it could not be reached. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent error code, e.g. 40403; 0 when the registry could not be reached. */
    public int errorCode() {
        return errorCode;
    }

    /**
     * Whether a retry may succeed: connection failures and timeouts (status 0), 5xx, 408 (request
     * timeout) and 429 (too many requests). Every other 4xx is an answer about the request itself.
     */
    public boolean retriable() {
        return httpStatus == 0 || httpStatus >= 500 || httpStatus == 408 || httpStatus == 429;
    }

    /** Whether the registry refused this client's credentials (401, 403): configuration, fixed by the operator. */
    public boolean credentialsRefused() {
        return httpStatus == 401 || httpStatus == 403;
    }
}
