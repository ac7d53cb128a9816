package dev.digestflow.enrich.topology;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Refuses, at serialization, a value too large for the producer's {@code max.request.size}.
 *
 * <p>Why here and not in the production exception handler: under exactly-once, a send that fails with
 * {@link RecordTooLargeException} puts the transactional producer in an error state, so the handler
 * cannot write the dead letter, the transaction aborts, and a replacement thread fails on the same
 * record again. A serialization error happens before the send and leaves the transaction usable: the
 * handler's {@code handleSerializationError} dead-letters the source record and processing goes on.
 */
final class RecordSizeGuard<T> implements Serializer<T> {

    /** Room under max.request.size for the key, the headers and the batch's own framing. */
    static final int HEADROOM_BYTES = 16 * 1024;

    private final Serializer<T> inner;
    private final int maxValueBytes;

    RecordSizeGuard(Serializer<T> inner, int maxRequestSize) {
        this.inner = inner;
        this.maxValueBytes = maxRequestSize - HEADROOM_BYTES;
    }

    /** The producer's max.request.size as Streams will configure it (producer.-prefixed or plain), Kafka's default otherwise. */
    static int maxRequestSize(Map<String, ?> streamsProperties) {
        Object size = streamsProperties.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (size == null) {
            size = streamsProperties.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        return size == null ? 1024 * 1024 : Integer.parseInt(size.toString().trim());
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        inner.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return check(topic, inner.serialize(topic, data));
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        return check(topic, inner.serialize(topic, headers, data));
    }

    private byte[] check(String topic, byte[] bytes) {
        if (bytes != null && bytes.length > maxValueBytes) {
            throw new RecordTooLargeException("the record for topic '" + topic + "' is " + bytes.length + " bytes serialized, over the "
                    + maxValueBytes + " this producer can send (max.request.size minus " + HEADROOM_BYTES + " bytes of room)");
        }
        return bytes;
    }

    @Override
    public void close() {
        inner.close();
    }
}
