package dev.digestflow.enrich.topology;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.digestflow.schema.dlq.DeadLetterHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

/**
 * Poison pills go to the dead-letter topic through Kafka Streams' own exception handlers (KIP-1033,
 * KIP-1034), never through try/catch in the topology: the original key and value bytes, with headers
 * naming the stage, the source topic, partition and offset, the exception class and its message.
 * Processing then continues.
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
    }

    /** Records that cannot be deserialized (bad magic byte, unknown schema, garbage). */
    public static final class OnDeserializationError extends Configured implements DeserializationExceptionHandler {
        @Override
        public void configure(Map<String, ?> configs) {
            configureFrom(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
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
}
