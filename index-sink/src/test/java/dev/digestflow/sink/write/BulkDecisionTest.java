package dev.digestflow.sink.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.digestflow.sink.config.SinkConfig.MalformedPolicy;

class BulkDecisionTest {

    @ParameterizedTest(name = "{0} {1} with policy {2} -> {3}")
    @CsvSource({
            "201, , DLQ, INDEXED",
            "200, , FAIL, INDEXED",
            "409, version_conflict_engine_exception, DLQ, CONFLICT_IGNORED",
            "429, es_rejected_execution_exception, DLQ, RETRY",
            "503, unavailable_shards_exception, FAIL, RETRY",
            "400, document_parsing_exception, DLQ, DEAD_LETTER",
            "400, document_parsing_exception, WARN, SKIP",
            "400, document_parsing_exception, FAIL, FAIL",
            "404, index_not_found_exception, DLQ, FAIL",
    })
    void eachAnswerHasOneDecision(int status, String type, MalformedPolicy policy, BulkDecision expected) {
        assertThat(BulkDecision.of(status, type, policy)).isEqualTo(expected);
    }

    @Test
    void aRequestThatGotNoAnswerIsRetriedAndOneRefusedForGoodFails() {
        assertThat(BulkDecision.ofRequest(new ConnectException("Connection refused"))).isEqualTo(BulkDecision.RETRY);
        assertThat(BulkDecision.ofRequest(new IllegalArgumentException("a bug"))).isEqualTo(BulkDecision.FAIL);
    }
}
