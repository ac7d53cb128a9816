package dev.digestflow.enrich.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

import dev.digestflow.schema.dlq.DeadLetterHeaders;
import dev.digestflow.schema.serde.SchemaRegistryUnavailableException;
import dev.digestflow.schema.serde.UndecodableRecordException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The handlers' decisions: dead-letter what can never pass, retry or hold what can. */
class DeadLettersTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private record Context(byte[] sourceRawKey, byte[] sourceRawValue) implements ErrorHandlerContext {
        public String topic() { return "raw"; }
        public int partition() { return 2; }
        public long offset() { return 41; }
        public Headers headers() { return new RecordHeaders(); }
        public String processorNodeId() { return "tagged-sink"; }
        public TaskId taskId() { return new TaskId(0, 2); }
        public long timestamp() { return 0; }
    }

    private Map<String, Object> configs(Object maxRequestSize) {
        return maxRequestSize == null
                ? Map.of(DeadLetters.DLQ_TOPIC_CONFIG, "dlq", DeadLetters.METER_REGISTRY_CONFIG, meters)
                : Map.of(DeadLetters.DLQ_TOPIC_CONFIG, "dlq", DeadLetters.METER_REGISTRY_CONFIG, meters, "producer.max.request.size", maxRequestSize);
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aRecordTheBrokerRefusesGoesToTheDlqWithItsSourceBytesAndProcessingContinues() {
        var handler = new DeadLetters.OnProductionError();
        handler.configure(configs(null));
        var response = handler.handleError(new Context("k".getBytes(), "source".getBytes()),
                new ProducerRecord<>("tagged", "k".getBytes(), new byte[10]), new RecordTooLargeException("too large"));
        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().get(0);
        assertThat(dead.topic()).isEqualTo("dlq");
        assertThat(dead.value()).isEqualTo("source".getBytes());
        assertThat(header(dead, DeadLetterHeaders.STAGE)).isEqualTo("enrich-streams.produce");
        assertThat(header(dead, DeadLetterHeaders.OFFSET)).isEqualTo("41");
        assertThat(header(dead, DeadLetterHeaders.EXCEPTION_CLASS)).isEqualTo(RecordTooLargeException.class.getName());
        assertThat(meters.counter("digestflow.enrich.dlq.records", "stage", "produce").count()).isEqualTo(1);
    }

    @Test
    void aSourceTooLargeForTheDlqLeavesItsValueOutAndSaysWhereToReadIt() {
        var handler = new DeadLetters.OnProductionError();
        handler.configure(configs("200000"));
        var response = handler.handleError(new Context("k".getBytes(), new byte[150_000]),
                new ProducerRecord<>("tagged", "k".getBytes(), new byte[10]), new RecordTooLargeException("too large"));
        ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().get(0);
        assertThat(dead.value()).isNull();
        assertThat(header(dead, DeadLetters.H_PAYLOAD_OMITTED)).contains("150001 bytes").contains("raw/2@41");
    }

    @Test
    void aRetriableSendErrorIsRetriedNotDeadLettered() {
        var handler = new DeadLetters.OnProductionError();
        handler.configure(configs(null));
        var response = handler.handleError(new Context(null, null), new ProducerRecord<>("tagged", null, new byte[1]),
                new NotEnoughReplicasException("isr"));
        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RETRY);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void aRegistryOutageFailsTheThreadInsteadOfDeadLettering() {
        var production = new DeadLetters.OnProductionError();
        production.configure(configs(null));
        var serialize = production.handleSerializationError(new Context(null, "v".getBytes()), new ProducerRecord<>("tagged", "x"),
                new SchemaRegistryUnavailableException("down", null), SerializationExceptionOrigin.VALUE);
        assertThat(serialize.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
        assertThat(serialize.deadLetterQueueRecords()).isEmpty();

        var deserialization = new DeadLetters.OnDeserializationError();
        deserialization.configure(configs(null));
        var read = deserialization.handleError(new Context(null, "v".getBytes()), new ConsumerRecord<>("raw", 2, 41, null, "v".getBytes()),
                new SchemaRegistryUnavailableException("down", null));
        assertThat(read.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(read.deadLetterQueueRecords()).isEmpty();
        assertThat(meters.counter("digestflow.enrich.registry.unavailable", "stage", "deserialize").count()).isEqualTo(1);
        assertThat(meters.find("digestflow.enrich.dlq.records").counters()).isEmpty();
    }

    @Test
    void undecodableBytesAreDeadLettered() {
        var deserialization = new DeadLetters.OnDeserializationError();
        deserialization.configure(configs(null));
        var read = deserialization.handleError(new Context(null, "v".getBytes()), new ConsumerRecord<>("raw", 2, 41, null, "v".getBytes()),
                new UndecodableRecordException("unknown magic byte"));
        assertThat(read.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(read.deadLetterQueueRecords()).singleElement().satisfies(r -> assertThat(r.value()).isEqualTo("v".getBytes()));
    }
}
