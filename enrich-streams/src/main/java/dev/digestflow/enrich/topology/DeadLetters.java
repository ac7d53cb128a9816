package dev.digestflow.enrich.topology;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.digestflow.schema.dlq.DeadLetterHeaders;
import dev.digestflow.schema.serde.SchemaRegistryUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

/**
 * Poison pills go to the dead-letter topic through Kafka Streams' own exception handlers (KIP-1033,
 * KIP-1034), never through try/catch in the topology: the original key and value bytes, with headers
 * naming the stage, the source topic, partition and offset, the exception class and its message.
 * Processing then continues.
 *
 * <p>A schema registry that cannot answer is not a poison pill: the record is fine. The deserialization
 * and serialization handlers then fail the stream thread instead, so that its transaction aborts and
 * the record is read again when {@code StreamThreadRecovery} replaces the thread after a backoff.
 */
public final class DeadLetters {

    public static final String DLQ_TOPIC_CONFIG = "digestflow.dlq.topic";
    public static final String METER_REGISTRY_CONFIG = "digestflow.meter.registry";
    public static final String H_STAGE = DeadLetterHeaders.STAGE;
    public static final String H_TOPIC = DeadLetterHeaders.TOPIC;
    public static final String H_PARTITION = DeadLetterHeaders.PARTITION;
    public static final String H_OFFSET = DeadLetterHeaders.OFFSET;
    public static final String H_EXCEPTION = DeadLetterHeaders.EXCEPTION_CLASS;
    public static final String H_MESSAGE = DeadLetterHeaders.EXCEPTION_MESSAGE;
    public static final String H_PROCESSOR = DeadLetterHeaders.PROCESSOR;
    /** Set when the source record was too large to go to the DLQ whole: the value is left out; read it at topic/partition/offset. */
    public static final String H_PAYLOAD_OMITTED = DeadLetterHeaders.PAYLOAD_OMITTED;
    /** Room kept under max.request.size for the headers and the record's framing. */
    private static final int DLQ_HEADROOM_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private DeadLetters() {
    }

    static ProducerRecord<byte[], byte[]> record(String dlqTopic, String stage, ErrorHandlerContext ctx, byte[] key, byte[] value, Exception e) {
        var headers = DeadLetterHeaders.of(stage, ctx.topic(), ctx.partition(), ctx.offset(), e.getClass().getName(), String.valueOf(e.getMessage()))
                .processor(ctx.processorNodeId()).build();
        LOG.atWarn().addKeyValue("stage", stage).addKeyValue("topic", ctx.topic()).addKeyValue("partition", ctx.partition())
                .addKeyValue("offset", ctx.offset()).addKeyValue("exception", e.getClass().getName())
                .log("dead-lettered a record to {}: {}", dlqTopic, e.getMessage());
        return new ProducerRecord<>(dlqTopic, null, key, value, headers);
    }

    private abstract static class Configured {
        String dlqTopic;
        MeterRegistry meters;

        void configureFrom(Map<String, ?> configs) {
            Object topic = configs.get(DLQ_TOPIC_CONFIG);
            if (topic == null) {
                throw new IllegalArgumentException(DLQ_TOPIC_CONFIG + " must name the dead-letter topic");
            }
            dlqTopic = topic.toString();
            Object registry = configs.get(METER_REGISTRY_CONFIG);
            meters = registry instanceof MeterRegistry m ? m : Metrics.globalRegistry;
        }

        void count(String stage) {
            meters.counter("digestflow.enrich.dlq.records", "stage", stage).increment();
        }

        void countRegistryUnavailable(String stage) {
            meters.counter("digestflow.enrich.registry.unavailable", "stage", stage).increment();
        }
    }

    /** Records that cannot be deserialized (bad magic byte, unknown schema, garbage). */
    public static final class OnDeserializationError extends Configured implements DeserializationExceptionHandler {
        @Override
        public void configure(Map<String, ?> configs) {
            configureFrom(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
            if (SchemaRegistryUnavailableException.in(exception).isPresent()) {
                countRegistryUnavailable("deserialize");
                return Response.fail();
            }
            count("deserialize");
            return Response.resume(List.of(DeadLetters.record(dlqTopic, "enrich-streams.deserialize", context, record.key(), record.value(), exception)));
        }
    }

    /** Records whose processing threw (no id, a tombstone, a bug): the source bytes go to the DLQ. */
    public static final class OnProcessingError extends Configured implements ProcessingExceptionHandler {
        @Override
        public void configure(Map<String, ?> configs) {
            configureFrom(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            count("process");
            return Response.resume(List.of(DeadLetters.record(dlqTopic, "enrich-streams.process", context, context.sourceRawKey(),
                    context.sourceRawValue(), exception)));
        }
    }

    /**
     * Records that cannot be serialized (among them, through {@link RecordSizeGuard}, those too large
     * for the producer) or that the broker refuses for good: the source record's bytes go to the DLQ and
     * processing continues. Without this handler such a record kills the stream thread, and a
     * replacement dies on it again, forever. A retriable send error is left to Streams to retry; a
     * registry outage fails the thread (see above). Under exactly-once a send error also aborts the
     * transaction, so the DLQ write fails with it and the thread is replaced (capped): that is why
     * the size is checked at serialization, before the send.
     */
    public static final class OnProductionError extends Configured implements ProductionExceptionHandler {
        private int maxRequestSize;

        @Override
        public void configure(Map<String, ?> configs) {
            configureFrom(configs);
            maxRequestSize = RecordSizeGuard.maxRequestSize(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
            if (exception instanceof RetriableException) {
                return Response.retry();
            }
            count("produce");
            return Response.resume(List.of(sourceRecord("enrich-streams.produce", context, exception)));
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                SerializationExceptionOrigin origin) {
            if (SchemaRegistryUnavailableException.in(exception).isPresent()) {
                countRegistryUnavailable("serialize");
                return Response.fail();
            }
            count("serialize");
            return Response.resume(List.of(sourceRecord("enrich-streams.serialize", context, exception)));
        }

        /** The source record (the raw item that led here), whole when it fits in a request, else its headers only. */
        private ProducerRecord<byte[], byte[]> sourceRecord(String stage, ErrorHandlerContext context, Exception exception) {
            byte[] key = context.sourceRawKey();
            byte[] value = context.sourceRawValue();
            long size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
            boolean omit = size > maxRequestSize - DLQ_HEADROOM_BYTES;
            ProducerRecord<byte[], byte[]> dead = DeadLetters.record(dlqTopic, stage, context, key, omit ? null : value, exception);
            if (omit) {
                dead.headers().add(H_PAYLOAD_OMITTED, ("the source record is " + size + " bytes, too close to max.request.size ("
                        + maxRequestSize + "); read it from " + context.topic() + "/" + context.partition() + "@" + context.offset())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return dead;
        }
    }
}
