package dev.digestflow.service.config;

/**
 * URLs as they may appear in a log line or an error message: without their user-info. With
 * {@code basic.auth.credentials.source=URL} the registry URL is {@code http://user:password@host}, and an
 * Elasticsearch URL can carry credentials the same way; no log line may print them.
 */
public final class RedactedUrls {

    private RedactedUrls() {
    }

    /**
     * One URL, a comma-separated list, or a message quoting them: each {@code scheme://user:pass@host}
     * as {@code scheme://***@host}, and a {@code user:pass@host} without a scheme (a mistyped URL that an
     * error message would quote) as {@code ***@host}.
     */
    public static String of(String urls) {
        return urls == null ? null : urls.replaceAll("(^|[,\\s]|://)[^/@\\s,]*@", "$1***@");
    }
}
