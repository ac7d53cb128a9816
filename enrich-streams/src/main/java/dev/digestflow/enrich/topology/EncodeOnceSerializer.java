package dev.digestflow.enrich.topology;

import java.util.Map;

import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.serialization.Serializer;

import dev.digestflow.schema.serde.ConfluentAvroSerializer;

/**
 * The tag fan-out writes one tagged record to {@code digest.items.tagged} and then to each of its tag
 * topics, back to back on the same stream thread. This serializer encodes it once: for the next topic
 * it registers (or looks up) that topic's subject as usual, and when the schema id is the same, hands
 * out the bytes it already made. A different id (a subject pinned to another version) encodes again.
 *
 * <p>Safe because the topology never changes a tagged record after tagging: the same instance means
 * the same content. One record per thread is kept (Kafka Streams shares a sink's serializer across
 * stream threads).
 */
final class EncodeOnceSerializer<T extends GenericContainer> implements Serializer<T> {

    private record Encoded(Object record, int schemaId, byte[] bytes) {
    }

    private final ConfluentAvroSerializer<T> avro;
    private final ThreadLocal<Encoded> last = new ThreadLocal<>();

    EncodeOnceSerializer(ConfluentAvroSerializer<T> avro) {
        this.avro = avro;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        avro.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        ConfluentAvroSerializer.WriterSchema writer = avro.writerSchema(topic, record);
        Encoded previous = last.get();
        if (previous != null && previous.record() == record && previous.schemaId() == writer.id()) {
            return previous.bytes(); // the producer copies a value into its batch and never writes to the array
        }
        byte[] bytes = avro.encode(topic, writer, record);
        last.set(new Encoded(record, writer.id(), bytes));
        return bytes;
    }

    @Override
    public void close() {
        last.remove();
        avro.close();
    }
}
