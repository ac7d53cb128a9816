package dev.digestflow.sink.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;

class FailureClassTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
        "201, null, OK",
        "200, null, OK",
        "409, version_conflict_engine_exception, VERSION_CONFLICT",
        "400, document_parsing_exception, MALFORMED",
        "400, mapper_parsing_exception, MALFORMED",
        "400, illegal_argument_exception, MALFORMED",
        "400, strict_dynamic_mapping_exception, MALFORMED",
        "429, es_rejected_execution_exception, RETRYABLE",
        "429, cluster_block_exception, RETRYABLE",
        "503, unavailable_shards_exception, RETRYABLE",
        "500, null_pointer_exception, RETRYABLE",
        "404, index_not_found_exception, FATAL",
        "403, cluster_block_exception, FATAL",
        "403, security_exception, FATAL",
        "400, action_request_validation_exception, FATAL",
    })
    void classifiesBulkItems(int status, String type, FailureClass expected) {
        assertThat(FailureClass.ofItem(status, type)).isEqualTo(expected);
    }

    @Test
    void connectionFailuresAreRetryable() {
        assertThat(FailureClass.ofRequest(new ConnectException("Connection refused"))).isEqualTo(FailureClass.RETRYABLE);
        assertThat(FailureClass.ofRequest(new RuntimeException(new SocketTimeoutException("Read timed out")))).isEqualTo(FailureClass.RETRYABLE);
        assertThat(FailureClass.ofRequest(new IOException("Connection reset by peer"))).isEqualTo(FailureClass.RETRYABLE);
    }

    @Test
    void requestStatusesDecide() {
        assertThat(FailureClass.ofRequest(esError(429, "es_rejected_execution_exception"))).isEqualTo(FailureClass.RETRYABLE);
        assertThat(FailureClass.ofRequest(esError(503, "master_not_discovered_exception"))).isEqualTo(FailureClass.RETRYABLE);
        assertThat(FailureClass.ofRequest(esError(401, "security_exception"))).isEqualTo(FailureClass.FATAL);
        assertThat(FailureClass.ofRequest(esError(413, "content_too_long"))).isEqualTo(FailureClass.FATAL);
        assertThat(FailureClass.statusOf(esError(401, "security_exception"))).isEqualTo(401);
    }

    @Test
    void programmingErrorsAreFatal() {
        assertThat(FailureClass.ofRequest(new IllegalStateException("bug"))).isEqualTo(FailureClass.FATAL);
        assertThat(FailureClass.statusOf(new IllegalStateException("bug"))).isNull();
    }

    private static ElasticsearchException esError(int status, String type) {
        return new ElasticsearchException("bulk", ErrorResponse.of(r -> r.status(status).error(e -> e.type(type).reason("test"))));
    }
}
